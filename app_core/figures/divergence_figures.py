"""Figures for the KL vs Jensen–Shannon page."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from sae_core.divergence import LN2, SeparationSweep

P_COLOR, Q_COLOR, JS_COLOR = "#1f77b4", "#e8710a", "#2ca02c"


def separation_figure(sweep: SeparationSweep, current: float, units: str = "nats") -> go.Figure:
    """KL both ways and JS against the separation of the two centres, current separation marked.

    Two stacked panels share the x axis: KL (unbounded) on top, JS with its ln 2 ceiling below, so the
    saturation is visible rather than flattened by KL's scale. The layout is written out directly
    (no make_subplots/add_vline helpers): this figure is rebuilt on every drag and those helpers cost
    over ten milliseconds.
    """
    factor = 1.0 / math.log(2.0) if units == "bits" else 1.0
    x = sweep.separations.tolist()

    def finite(v):  # gaps where KL = ∞
        return np.where(np.isfinite(v), v * factor, None).tolist()

    ceiling = LN2 * factor
    marker = dict(type="line", x0=current, x1=current, yref="paper", y0=0, y1=1,
                  line=dict(color="#555", width=1.5, dash="dot"))
    ceiling_line = dict(type="line", xref="paper", x0=0, x1=1, yref="y2", y0=ceiling, y1=ceiling,
                        line=dict(color=JS_COLOR, dash="dot"))
    data = [
        go.Scatter(x=x, y=finite(sweep.kl_pq), name="KL(P‖Q)", line=dict(color=P_COLOR, width=3), yaxis="y"),
        go.Scatter(x=x, y=finite(sweep.kl_qp), name="KL(Q‖P)", line=dict(color=Q_COLOR, width=3, dash="dash"), yaxis="y"),
        go.Scatter(x=x, y=(sweep.js * factor).tolist(), name="JS", line=dict(color=JS_COLOR, width=3), yaxis="y2"),
    ]
    layout = dict(
        height=430, margin=dict(l=10, r=10, t=30, b=10), hovermode="x unified",
        legend=dict(orientation="h", y=1.08, x=0),
        xaxis=dict(title=dict(text="separation: mean of Q − mean of P"), anchor="y2"),
        yaxis=dict(title=dict(text=f"KL ({units})"), domain=[0.42, 1.0], rangemode="tozero"),
        yaxis2=dict(title=dict(text=f"JS ({units})"), domain=[0.0, 0.34], range=[0, ceiling * 1.15]),
        shapes=[marker, ceiling_line],
        annotations=[dict(text=f"ceiling ln 2 = {ceiling:.3f} {units}", xref="paper", x=1, xanchor="right",
                          yref="y2", y=ceiling, yanchor="top", showarrow=False, font=dict(color=JS_COLOR))],
    )
    return go.Figure(data=data, layout=layout)
