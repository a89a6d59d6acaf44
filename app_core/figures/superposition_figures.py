"""Figures for the Superposition page: W's columns as arrows in the hidden plane, and WᵀW."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from app_core.figures.axes import log_axis

BASE_LAYOUT = dict(margin=dict(l=10, r=10, t=40, b=10), hovermode="closest", dragmode=False)
# Feature i matters importance_decay**(i − 1) as much as feature 1: darker is more important, as in Elhage et al.
_DARK, _LIGHT = np.array([49, 54, 149]), np.array([171, 217, 233])


def feature_colors(n: int) -> list[str]:
    """One colour per feature, from the most important (dark) to the least (light)."""
    mix = np.linspace(0.0, 1.0, n)[:, None] if n > 1 else np.zeros((1, 1))
    rgb = (_DARK * (1 - mix) + _LIGHT * mix).round().astype(int)
    return [f"rgb({r},{g},{b})" for r, g, b in rgb]


def feature_arrows(w: np.ndarray, height: int = 460) -> go.Figure:
    """Each feature's column Wᵢ drawn as an arrow from the origin. w: [2, n_features]"""
    n = w.shape[1]
    colors = feature_colors(n)
    reach = max(1.3, float(np.abs(w).max()) * 1.2)
    circle = np.linspace(0, 2 * np.pi, 121)
    data = [dict(type="scatter", x=np.cos(circle), y=np.sin(circle), mode="lines", hoverinfo="skip",
                       line=dict(color="#ccc", dash="dot", width=1), showlegend=False)]
    for i in range(n):
        x, y = float(w[0, i]), float(w[1, i])
        data.append(dict(type="scatter", x=[0, x], y=[0, y], mode="lines+markers+text", name=f"feature {i + 1}",
                               line=dict(color=colors[i], width=4), marker=dict(size=[0, 11], color=colors[i]),
                               text=["", str(i + 1)], textposition="top right", textfont=dict(size=15),
                               hovertemplate=f"feature {i + 1}<br>W = (%{{x:.2f}}, %{{y:.2f}})<extra></extra>"))
    axis = dict(range=[-reach, reach], zeroline=True, zerolinecolor="#999", showgrid=False)
    return go.Figure(data=data, layout=dict(
        **BASE_LAYOUT, height=height, showlegend=False,
        title=dict(text="Columns of W in the hidden plane", font=dict(size=15)),
        xaxis=dict(**axis, title=dict(text="hidden dimension 1")),
        yaxis=dict(**axis, title=dict(text="hidden dimension 2"), scaleanchor="x", scaleratio=1)))


def gram_heatmap(gram: np.ndarray, height: int = 460) -> go.Figure:
    """WᵀW: the diagonal is how much of each feature comes back; off the diagonal, how features interfere.
    gram: [n, n]"""
    n = len(gram)
    labels = [f"f{i + 1}" for i in range(n)]
    reach = max(1.0, float(np.abs(gram).max()))  # symmetric, so white is exactly 0
    return go.Figure(data=[dict(type="heatmap", 
        z=gram, x=labels, y=labels, zmin=-reach, zmax=reach, colorscale="RdBu", reversescale=True,
        text=np.round(gram, 2), texttemplate="%{text}", textfont=dict(size=13),
        hovertemplate="(W&#7488;W)[%{y}, %{x}] = %{z:.3f}<extra></extra>", colorbar=dict(thickness=12))],
        layout=dict(**BASE_LAYOUT, height=height,
                    title=dict(text="WᵀW: how features read each other", font=dict(size=15)),
                    yaxis=dict(autorange="reversed", scaleanchor="x"), xaxis=dict(side="bottom")))


def feature_norms(norms: np.ndarray, bias: np.ndarray, kept_norm: float, height: int = 300) -> go.Figure:
    """‖Wᵢ‖ (kept ~1, dropped ~0) and the bias bᵢ per feature. [n], [n]"""
    labels = [f"f{i + 1}" for i in range(len(norms))]
    return go.Figure(data=[
        dict(type="bar", x=labels, y=norms, name="‖W‖, arrow length", marker_color=feature_colors(len(norms)),
               hovertemplate="%{x}: ‖W‖ = %{y:.3f}<extra></extra>"),
        dict(type="bar", x=labels, y=bias, name="bias b", marker_color="#d62728",
               hovertemplate="%{x}: b = %{y:.3f}<extra></extra>"),
    ], layout=dict(**BASE_LAYOUT, height=height, barmode="group", legend=dict(orientation="h", y=1.15, x=0),
                   shapes=[dict(type="line", xref="paper", x0=0, x1=1, y0=kept_norm, y1=kept_norm,
                                line=dict(color="#888", dash="dot"))],
                   yaxis=dict(title=dict(text="value"))))


def loss_curve(curve: Sequence[tuple[int, float]], height: int = 300) -> go.Figure:
    steps = [s for s, _ in curve]
    losses = [max(v, 1e-6) for _, v in curve]
    return go.Figure(data=[dict(type="scatter", x=steps, y=losses, mode="lines", line=dict(color="#333", width=2),
                                      hovertemplate="step %{x}: %{y:.4f}<extra></extra>")],
                     layout=dict(**BASE_LAYOUT, height=height,
                                 title=dict(text="Importance-weighted MSE", font=dict(size=14)),
                                 xaxis=dict(title=dict(text="step")), yaxis=log_axis(losses)))
