"""Figures for the "KL as a loss" page: P against the fitted Q, and the (μ, σ) landscape with Q's path."""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from app_core.live.fit_live import Landscape
from app_core.figures.axes import log_axis
from app_core.figures.divergence_figures import P_COLOR, Q_COLOR

BASE_LAYOUT = dict(margin=dict(l=10, r=10, t=40, b=10), hovermode="closest", dragmode=False)
START_COLOR, MOMENT_COLOR = "#7f7f7f", "#2ca02c"
MAX_PATH_POINTS = 400


def _gaussian(x: np.ndarray, mu: float, sigma: float) -> np.ndarray:
    return np.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))


def densities_figure(target, mu: float, sigma: float, start: tuple[float, float], x_range: tuple[float, float],
                     height: int = 420) -> go.Figure:
    """P filled, Q now as a line, Q's start dotted."""
    x = np.linspace(*x_range, 601)
    p = target.pdf(x)
    q = _gaussian(x, mu, sigma)
    q0 = _gaussian(x, *start)
    # Every curve in view (the start too: it was cut once Q had widened), unless a narrow Q would flatten P.
    top = float(max(p.max(), min(max(q.max(), q0.max()), 3 * p.max()), 1e-9)) * 1.1
    data = [
        dict(type="scatter", x=x, y=p, name="P (target)", fill="tozeroy", line=dict(color=P_COLOR, width=2),
                   hovertemplate="x = %{x:.2f}<br>p = %{y:.3f}<extra>P</extra>"),
        dict(type="scatter", x=x, y=q0, name="Q at the start", line=dict(color=START_COLOR, width=2, dash="dot"),
                   hoverinfo="skip"),
        dict(type="scatter", x=x, y=q, name=f"Q now = N({mu:.2f}, {sigma:.2f}²)",
                   line=dict(color=Q_COLOR, width=4), hovertemplate="x = %{x:.2f}<br>q = %{y:.3f}<extra>Q</extra>"),
    ]
    return go.Figure(data=data, layout=dict(
        **BASE_LAYOUT, height=height, legend=dict(orientation="h", y=1.12, x=0),
        xaxis=dict(title=dict(text="x"), range=list(x_range)),
        yaxis=dict(title=dict(text="density"), range=[0, top])))


def _thin(path: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    step = max(1, math.ceil(len(path) / MAX_PATH_POINTS))
    return list(path[::step]) + ([path[-1]] if (len(path) - 1) % step else [])


def _pick_grid(mus: Sequence[float], sigmas: Sequence[float]) -> dict:
    """Invisible points on every (μ₀, σ₀) a start can take: a click on one picks it (the page reads the
    selection; Streamlit passes no other pointer event from a chart to Python)."""
    mu, sigma = np.meshgrid(np.asarray(mus), np.asarray(sigmas))
    return dict(type="scatter", x=mu.ravel(), y=sigma.ravel(), mode="markers", name="pick a start",
                      marker=dict(size=9, opacity=0), showlegend=False, selected=dict(marker=dict(opacity=0)),
                      unselected=dict(marker=dict(opacity=0)),
                      hovertemplate="click to start here: μ₀ = %{x:.2f}, σ₀ = %{y:.2f}<extra></extra>")


def landscape_figure(land: Landscape, path: Sequence[tuple[float, float]], moment: tuple[float, float],
                     direction_label: str, starts: tuple[Sequence[float], Sequence[float]] | None = None,
                     height: int = 420) -> go.Figure:
    """log₁₀ of the divergence over (μ, σ) as a smoothed map, Q's path on top; P's moment match marked.
    `starts`: the (μ₀ values, σ₀ values) a click may pick as the start."""
    shown = _thin(path)
    log_loss = np.log10(np.maximum(land.loss, 1e-4))
    data = [
        # A heatmap smoothed by the browser's image scaling ("fast"), not a contour trace or "best" smoothing,
        # which Plotly computes pixel by pixel in JavaScript: Chromium redraws this figure on every frame.
        dict(type="heatmap", x=land.mus, y=land.sigmas, z=log_loss, colorscale="Viridis", zsmooth="fast",
                   reversescale=True,
                   colorbar=dict(title=dict(text="log₁₀ nats", side="right"), thickness=12),
                   hovertemplate="μ = %{x:.2f}, σ = %{y:.2f}<br>log₁₀ divergence = %{z:.2f}<extra></extra>"),
        dict(type="scatter", x=[m for m, _ in shown], y=[s for _, s in shown], mode="lines", name="Q's path",
                   line=dict(color="white", width=3), hoverinfo="skip"),
        dict(type="scatter", x=[path[0][0]], y=[path[0][1]], mode="markers", name="start",
                   marker=dict(color=START_COLOR, size=12, line=dict(color="white", width=2)),
                   hovertemplate="start: μ = %{x:.2f}, σ = %{y:.2f}<extra></extra>"),
        dict(type="scatter", x=[moment[0]], y=[moment[1]], mode="markers", name="P's mean and sd (forward KL's optimum)",
                   marker=dict(color=MOMENT_COLOR, size=13, symbol="x", line=dict(color="white", width=1)),
                   hovertemplate="moment match: μ = %{x:.2f}, σ = %{y:.2f}<extra></extra>"),
        dict(type="scatter", x=[path[-1][0]], y=[path[-1][1]], mode="markers", name="Q now",
                   marker=dict(color=Q_COLOR, size=14, line=dict(color="white", width=2)),
                   hovertemplate="now: μ = %{x:.2f}, σ = %{y:.2f}<extra></extra>"),
    ]
    for trace in data[2:]:  # a picked start must not dim the markers (Plotly's default for a selection)
        trace["unselected"] = dict(marker=dict(opacity=1))
    if starts is not None:
        data.append(_pick_grid(*starts))
    return go.Figure(data=data, layout=dict(
        **BASE_LAYOUT, height=height, legend=dict(orientation="h", y=-0.2, x=0),
        title=dict(text=f"{direction_label} over (μ, σ)", font=dict(size=14)),
        xaxis=dict(title=dict(text="μ (mean of Q)"), range=[float(land.mus[0]), float(land.mus[-1])]),
        yaxis=log_axis(title="σ (sd of Q, log scale)",
                       bounds=(math.log10(land.sigmas[0]), math.log10(land.sigmas[-1])))))
