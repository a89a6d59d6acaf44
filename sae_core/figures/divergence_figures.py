"""Figures for the KL vs Jensen–Shannon page."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..divergence import LN2, SeparationSweep

P_COLOR, Q_COLOR, JS_COLOR = "#1f77b4", "#e8710a", "#2ca02c"


def separation_figure(sweep: SeparationSweep, current: float, units: str = "nats") -> go.Figure:
    """KL both ways and JS against the separation of the two centres, current separation marked.

    Two stacked panels share the x axis: KL (unbounded) on top, JS with its ln 2 ceiling below,
    so the saturation is visible rather than flattened by KL's scale.
    """
    factor = 1.0 / math.log(2.0) if units == "bits" else 1.0
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08, row_heights=[0.6, 0.4])
    x = sweep.separations
    finite = lambda v: np.where(np.isfinite(v), v * factor, np.nan)  # noqa: E731 - gaps where KL = ∞
    fig.add_trace(go.Scatter(x=x, y=finite(sweep.kl_pq), name="KL(P‖Q)", line=dict(color=P_COLOR, width=3)), 1, 1)
    fig.add_trace(go.Scatter(x=x, y=finite(sweep.kl_qp), name="KL(Q‖P)", line=dict(color=Q_COLOR, width=3, dash="dash")), 1, 1)
    fig.add_trace(go.Scatter(x=x, y=sweep.js * factor, name="JS", line=dict(color=JS_COLOR, width=3)), 2, 1)
    ceiling = LN2 * factor
    fig.add_hline(y=ceiling, line=dict(color=JS_COLOR, dash="dot"), row=2, col=1,
                  annotation_text=f"ceiling ln 2 = {ceiling:.3f} {units}", annotation_position="bottom right")
    for row in (1, 2):
        fig.add_vline(x=current, line=dict(color="#555", width=1.5, dash="dot"), row=row, col=1)
    fig.update_yaxes(title_text=f"KL ({units})", row=1, col=1, rangemode="tozero")
    fig.update_yaxes(title_text=f"JS ({units})", row=2, col=1, range=[0, ceiling * 1.15])
    fig.update_xaxes(title_text="separation: mean of Q − mean of P", row=2, col=1)
    fig.update_layout(height=430, margin=dict(l=10, r=10, t=30, b=10), legend=dict(orientation="h", y=1.08, x=0),
                      hovermode="x unified")
    return fig
