"""The KL-sparsity penalty drawn per latent: each latent is a coin that fires with probability ρ̂ⱼ."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from sae_core.divergence.bernoulli import bernoulli_kl
from app_core.figures.axes import log_axis

BASE_LAYOUT = dict(margin=dict(l=10, r=10, t=40, b=10), hovermode="closest", dragmode=False)
CURVE_COLOR, LATENT_COLOR, TARGET_COLOR = "#555555", "#9467bd", "#2ca02c"


def kl_penalty_figure(rates: np.ndarray, rho: float, beta: float, height: int = 340) -> go.Figure:
    """KL(Bernoulli(ρ) ‖ Bernoulli(q)) as a function of q, with every latent placed on it at q = ρ̂ⱼ.

    rates: [d_sae] the latents' firing rates ρ̂ⱼ. The curve is zero only at q = ρ and rises steeply towards
    0 and 1; the penalty the model pays is β times the sum of the dots' heights.
    """
    # The view spans the latents and the target, with room either side to see the curve climb.
    lo = max(min(float(rates.min()), rho) / 3, 1e-6)
    hi = min(max(float(rates.max()), rho) * 3, 0.999)
    q = np.geomspace(lo, hi, 400)
    per_latent = bernoulli_kl(rho, rates)
    worst = int(np.argmax(per_latent))
    data = [
        dict(type="scatter", x=q, y=bernoulli_kl(rho, q), mode="lines", name="KL(ρ‖q) for a coin firing at q",
                   line=dict(color=CURVE_COLOR, width=2), hovertemplate="q = %{x:.4f}<br>KL = %{y:.4f} nats<extra></extra>"),
        dict(type="scatter", x=rates, y=per_latent, mode="markers", name="a latent at its ρ̂ⱼ",
                   marker=dict(color=LATENT_COLOR, size=8, opacity=0.75, line=dict(color="white", width=0.5)),
                   customdata=np.arange(len(rates)),
                   hovertemplate="latent %{customdata}<br>ρ̂ = %{x:.4f}<br>KL(ρ‖ρ̂) = %{y:.4f} nats<extra></extra>"),
    ]
    shapes = [dict(type="line", x0=rho, x1=rho, yref="paper", y0=0, y1=1, line=dict(color=TARGET_COLOR, dash="dot"))]
    annotations = [
        dict(x=np.log10(rho), y=1, yref="paper", text=f"target ρ = {rho:g}", showarrow=False, xanchor="left",
             yanchor="top", font=dict(color=TARGET_COLOR)),
        dict(x=np.log10(rates[worst]), y=float(per_latent[worst]), text=f"latent {worst}", showarrow=True,
             arrowhead=2, ax=30, ay=-25),
    ]
    # Zoomed to the latents: three times the largest term, so their dots sit on a visible stretch of the curve
    # rather than on its flat bottom under a scale set by q near 1.
    top = max(3.0 * float(per_latent.max()), 0.01)
    return go.Figure(data=data, layout=dict(
        **BASE_LAYOUT, height=height, legend=dict(orientation="h", y=-0.25, x=0), shapes=shapes,
        annotations=annotations,
        title=dict(text=f"Penalty β·Σⱼ KL(ρ‖ρ̂ⱼ) = {beta:g} × {per_latent.sum():.3f} = {beta * per_latent.sum():.3f} nats",
                   font=dict(size=14)),
        xaxis=log_axis(title="firing rate q (log scale)", bounds=(float(np.log10(lo)), float(np.log10(hi)))),
        yaxis=dict(title=dict(text="KL(ρ ‖ q), nats"), range=[0, top])))
