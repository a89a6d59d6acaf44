"""Figures for the "Sparsity and the L1 norm" page: a vector and its norms (the file a slide gets: on the page the
vector is drawn by its editor in the browser, components/web/vector_editor.js), the L1 and L2 balls against a
least-squares loss, and soft-thresholding. Every shape is computed from `sae_core.norms`, none drawn by hand.

Layouts are written out directly (no make_subplots): each figure is rebuilt on every slider move.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from sae_core.norms.constrained import Quadratic, Solution, contour_ellipse
from sae_core.norms.shrinkage import shrink
from sae_core.norms.vector import is_zero, norms

POS_COLOR, NEG_COLOR, ZERO_COLOR = "#1f77b4", "#e8710a", "#7f7f7f"
L1_COLOR, L2_COLOR, CONTOUR_COLOR = "#d62728", "#1f77b4", "#9aa5b1"
BASE_LAYOUT = dict(margin=dict(l=10, r=10, t=40, b=10), hovermode="closest", dragmode=False)
VIEW = 3.0  # the 2-D plot shows [−VIEW, VIEW]²: the w* sliders' range plus a margin, fixed so nothing jumps
CONTOUR_RINGS = 14
# The balls figure travels ahead of its sliders under a byte cap: float32 curves, with as few points as keep a chord
# within about half a pixel of the curve (sizes: BENCHMARKS.md, "Why the constants…").
RING_POINTS = 81
CURVE_POINTS = 121


def format_coordinate(value: float) -> str:
    """A coordinate as shown: exactly "0" for a zero, else two decimals — or scientific notation for a
    non-zero that two decimals would round to 0, so a near-miss never looks like a zero."""
    if is_zero(value):
        return "0"
    return f"{value:.2f}" if abs(value) >= 0.005 else f"{value:.1e}"


def format_point(w) -> str:
    """`w` of shape (2,) as "(w₁, w₂)"."""
    return f"({format_coordinate(float(w[0]))}, {format_coordinate(float(w[1]))})"


def entry_labels(n: int) -> list[str]:
    return [f"x{chr(0x2080 + i + 1) if i < 9 else i + 1}" for i in range(n)]


def _bar_text(values: np.ndarray) -> list[str]:
    """Each bar's value; none on a zero bar, whose marker carries its own "0"."""
    return ["" if z else format_coordinate(v) for v, z in zip(values, is_zero(values))]


def _bar_colors(values: np.ndarray) -> list[str]:
    return [ZERO_COLOR if z else (POS_COLOR if v > 0 else NEG_COLOR) for v, z in zip(values, is_zero(values))]


def _zero_markers(labels: list[str], values: np.ndarray, name: str = "exactly 0", text: bool = True,
                  **kw) -> go.Scatter:
    """Hollow circles on the axis where an entry is zero (a bar of height 0 is otherwise invisible), each with
    a "0" above it unless `text` is False (where other bars' outlines would run through the label)."""
    zero = is_zero(values)
    return go.Scatter(x=[l for l, z in zip(labels, zero) if z], y=[0.0] * int(zero.sum()),
                      mode="markers+text" if text else "markers", text=["0"] * int(zero.sum()),
                      textposition="top center", textfont=dict(color=ZERO_COLOR),
                      marker=dict(symbol="circle-open", size=13, color=ZERO_COLOR, line=dict(width=2)), name=name,
                      hovertemplate="%{x} = 0<extra></extra>", **kw)


def vector_figure(entries, value_range: tuple[float, float] = (-3.0, 3.0)) -> go.Figure:
    """The vector `entries` (shape (n,)) as bars, with its L0, L1 and L2 in the title."""
    x = np.asarray(entries, dtype=float)
    labels = entry_labels(len(x))
    n = norms(x)
    bars = go.Bar(x=labels, y=x.tolist(), marker_color=_bar_colors(x), text=_bar_text(x),
                  textposition="outside", cliponaxis=False, hovertemplate="%{x} = %{y:.2f}<extra></extra>",
                  showlegend=False)
    title = f"L0 = {n.l0}   ·   L1 = {n.l1:.2f}   ·   L2 = {n.l2:.2f}"
    layout = dict(BASE_LAYOUT, height=300, title=dict(text=title, xref="paper", x=0, font=dict(size=15)), showlegend=False,
                  yaxis=dict(title=dict(text="entry value"), range=[value_range[0] - 0.6, value_range[1] + 0.6],
                             zeroline=True, zerolinecolor="#444", zerolinewidth=1.5),
                  xaxis=dict(fixedrange=True), bargap=0.35)
    return go.Figure(data=[bars, _zero_markers(labels, x)], layout=layout)


def _l1_ball(t: float) -> tuple[list[float], list[float]]:
    return [t, 0.0, -t, 0.0, t], [0.0, t, 0.0, -t, 0.0]


def _l2_ball(t: float, n: int = CURVE_POINTS) -> tuple[np.ndarray, np.ndarray]:
    angles = np.linspace(0.0, 2.0 * math.pi, n)
    return (t * np.cos(angles)).astype(np.float32), (t * np.sin(angles)).astype(np.float32)


def _solution_trace(sol: Solution, color: str, symbol: str) -> dict:
    zeros = [f"w{'₁₂'[i]} = 0 exactly" for i in range(2) if sol.zeros[i]]
    if not sol.on_boundary:
        where = "w* itself (inside)"
    elif zeros and sol.norm == "L1":
        where = "on a corner of the ball"
    else:
        where = "on the ball" + (", on an axis" if zeros else "")
    hover = f"{sol.norm}-constrained minimiser {format_point(sol.w)}<br>{where}, loss {sol.loss:.3f}"
    hover += ("<br>" + ", ".join(zeros)) if zeros else ""
    return dict(type="scatter", x=[float(sol.w[0])], y=[float(sol.w[1])], mode="markers",
                marker=dict(symbol=symbol, size=13, color=color, line=dict(color="white", width=1.5)),
                name=f"{sol.norm} solution {format_point(sol.w)}", hovertemplate=hover + "<extra></extra>")


STAR_LABEL_SHIFT = 17  # px: w*'s label sits above its star


def _solution_label(sol: Solution, color: str, turn: float, avoid=(), px_per_unit: float = 80.0,
                    reach_px: float = 62.0) -> dict:
    """An arrowed label pointing at a solution from outside the balls, turned by `turn` radians from the
    outward direction so that the L1 and L2 labels part ways even when their points nearly coincide; turned
    further, away from the points in `avoid` (w* and its label, the other label), where it would land on one."""
    x, y = float(sol.w[0]), float(sol.w[1])
    r = math.hypot(x, y)
    ux, uy = (x / r, y / r) if r > 1e-9 else (math.sqrt(0.5), math.sqrt(0.5))
    reach = reach_px / px_per_unit

    def direction(angle: float) -> tuple[float, float]:
        return ux * math.cos(angle) - uy * math.sin(angle), ux * math.sin(angle) + uy * math.cos(angle)

    def clearance(angle: float) -> float:
        dx, dy = direction(angle)
        return min((math.hypot(x + reach * dx - ax_, y + reach * dy - ay_) for ax_, ay_ in avoid), default=math.inf)

    sign = 1.0 if turn >= 0 else -1.0
    candidates = [turn + sign * k * 0.6 for k in range(6)] + [turn - sign * k * 0.6 for k in range(1, 6)]
    clear = [a for a in candidates if clearance(a) >= 1.2]  # a label is over a unit wide in projector type
    dx, dy = direction(clear[0] if clear else max(candidates, key=clearance))
    return dict(x=x, y=y, xref="x", yref="y", text=f"<b>{sol.norm}</b> {format_point(sol.w)}", showarrow=True,
                arrowhead=0, arrowcolor=color, arrowwidth=1.5, ax=reach_px * dx, ay=-reach_px * dy,
                font=dict(color=color, size=13), bgcolor="rgba(255,255,255,0.85)", borderpad=2)


def _touching_contour(q: Quadratic, sol: Solution, color: str) -> dict:
    """The loss contour through a solution: the lowest level that reaches the ball."""
    pts = contour_ellipse(q, sol.loss, CURVE_POINTS).astype(np.float32)
    return dict(type="scatter", x=pts[:, 0], y=pts[:, 1], mode="lines", line=dict(color=color, width=1.5, dash="dash"),
                name=f"lowest contour reaching the {sol.norm} ball",
                hovertemplate=f"loss = {sol.loss:.3f} on this contour<extra></extra>")


def _rings(q: Quadratic) -> dict:
    """Loss contours as one trace: exact level sets L(w) = ½r² (see `contour_ellipse`), r evenly spaced so the
    rings are too, out to the farthest corner of the view (a convex loss peaks over a square at a corner).
    Computed from H's eigendecomposition rather than traced on a grid: a gridded contour trace cost Chromium
    about 100 ms more on every redraw, the whole of a slider's budget."""
    corners = np.array([[-VIEW, -VIEW], [-VIEW, VIEW], [VIEW, -VIEW], [VIEW, VIEW]])
    step = float(np.sqrt(2.0 * q.loss(corners)).max()) / CONTOUR_RINGS
    gap = np.full((1, 2), np.nan)  # NaN breaks the line between rings; numpy arrays skip Plotly's per-item checks
    pts = np.concatenate([part for k in range(1, CONTOUR_RINGS + 1)
                          for part in (contour_ellipse(q, 0.5 * (k * step) ** 2, RING_POINTS), gap)])
    xs, ys = pts[:, 0].astype(np.float32), pts[:, 1].astype(np.float32)
    return dict(type="scatter", x=xs, y=ys, mode="lines", line=dict(color=CONTOUR_COLOR, width=1),
                name="loss contours", hoverinfo="skip")


def balls_figure(q: Quadratic, t: float, l1_sol: Solution, l2_sol: Solution, height: int = 540) -> go.Figure:
    """Loss contours of `q`, the L1 diamond and L2 circle of radius `t`, the unconstrained optimum w* and both
    constrained minimisers, on equal axes over [−VIEW, VIEW]². Traces are plain dicts: go.Scatter objects
    were validated twice, made and then put in the figure (14.7 → 10.7 ms a figure, the same JSON)."""
    data: list[dict] = [
        _rings(q),
        dict(type="scatter", x=_l1_ball(t)[0], y=_l1_ball(t)[1], mode="lines", line=dict(color=L1_COLOR, width=3),
             name=f"L1 ball: ‖w‖₁ ≤ {t:g}", hoverinfo="skip", fill="toself", fillcolor="rgba(214,39,40,0.08)"),
        dict(type="scatter", x=_l2_ball(t)[0], y=_l2_ball(t)[1], mode="lines", line=dict(color=L2_COLOR, width=3),
             name=f"L2 ball: ‖w‖₂ ≤ {t:g}", hoverinfo="skip"),
    ]
    data += [_touching_contour(q, s, c) for s, c in ((l1_sol, L1_COLOR), (l2_sol, L2_COLOR)) if s.on_boundary]
    data += [
        dict(type="scatter", x=[float(q.w_star[0])], y=[float(q.w_star[1])], mode="markers",
             marker=dict(symbol="star", size=16, color="black"), name=f"w* {format_point(q.w_star)}, no constraint",
             hovertemplate=f"unconstrained minimiser w* {format_point(q.w_star)}<extra></extra>"),
        _solution_trace(l1_sol, L1_COLOR, "diamond"),
        _solution_trace(l2_sol, L2_COLOR, "circle"),
    ]
    # Annotations rather than trace text: Streamlit's theme restyles trace text small and grey.
    px_per_unit = (height - 120) / (2 * VIEW)  # the plot's share of the height, on equal axes
    star = (float(q.w_star[0]), float(q.w_star[1]))
    star_label = (star[0], star[1] + STAR_LABEL_SHIFT / px_per_unit)
    l1_label = _solution_label(l1_sol, L1_COLOR, -0.55, avoid=(star, star_label), px_per_unit=px_per_unit)
    l1_at = (l1_label["x"] + l1_label["ax"] / px_per_unit, l1_label["y"] - l1_label["ay"] / px_per_unit)
    labels = [l1_label, _solution_label(l2_sol, L2_COLOR, 0.55, avoid=(star, star_label, l1_at),
                                        px_per_unit=px_per_unit),
              dict(x=float(q.w_star[0]), y=float(q.w_star[1]), xref="x", yref="y", text="<b>w*</b>", showarrow=False,
                   yshift=STAR_LABEL_SHIFT, font=dict(size=15, color="#222"))]
    axis_style = dict(range=[-VIEW, VIEW], zeroline=True, zerolinecolor="#444", zerolinewidth=1.5, dtick=1,
                      fixedrange=True)
    layout = dict(BASE_LAYOUT, height=height, margin=dict(l=10, r=10, t=10, b=10),
                  xaxis=dict(axis_style, title=dict(text="w₁"), constrain="domain"),
                  yaxis=dict(axis_style, title=dict(text="w₂"), scaleanchor="x", scaleratio=1, constrain="domain"),
                  annotations=labels, legend=dict(orientation="h", yanchor="top", y=-0.13, x=0, font=dict(size=12)))
    return go.Figure(data=data, layout=layout)


def shrinkage_curve_figure(lam: float, kind: str, reach: float = 3.5) -> go.Figure:
    """Output against input of the shrinkage `kind` ("soft" or "relu") at this λ over [−reach, reach], with the
    inputs that map to exactly 0 shaded. The curve is piecewise linear with kinks at ±λ, so it is evaluated
    exactly at its ends and kinks. It does not depend on the vector, so moving an entry leaves it as it is."""
    z = np.array(sorted({-reach, -lam, 0.0, lam, reach}))
    dead_lo = -lam if kind == "soft" else -reach
    formula = "sign(z)·max(|z| − λ, 0)" if kind == "soft" else "max(z − λ, 0) = ReLU(z − λ)"
    data = [
        go.Scatter(x=[-reach, reach], y=[-reach, reach], mode="lines", line=dict(color="#999", dash="dot", width=1.5),
                   name="no penalty (output = input)", hoverinfo="skip"),
        go.Scatter(x=z, y=shrink(z, lam, kind), mode="lines", line=dict(color=L1_COLOR, width=3), name=formula,
                   hovertemplate="input %{x:.2f} → output %{y:.2f}<extra></extra>"),
    ]
    shade = dict(type="rect", x0=dead_lo, x1=lam, yref="paper", y0=0, y1=1, fillcolor="rgba(127,127,127,0.15)",
                 line=dict(width=0), layer="below")
    note = dict(text=f"exactly 0<br>for |z| ≤ {lam:g}" if kind == "soft" else f"exactly 0<br>for z ≤ {lam:g}",
                x=(dead_lo + lam) / 2, y=reach * 0.78, xref="x",
                yref="y", showarrow=False, font=dict(size=12, color="#555"), bgcolor="rgba(255,255,255,0.85)")
    axis = dict(range=[-reach, reach], zeroline=True, zerolinecolor="#444", zerolinewidth=1.5, fixedrange=True)
    layout = dict(BASE_LAYOUT, height=380, title=dict(text=f"One latent, λ = {lam:g}", xref="paper", x=0, font=dict(size=15)),
                  xaxis=dict(axis, title=dict(text="input z (latent before the penalty)")),
                  yaxis=dict(axis, title=dict(text="output (latent after the penalty)")),
                  shapes=[shade] if lam > 0 else [], annotations=[note] if lam > 0 else [],
                  legend=dict(orientation="h", yanchor="top", y=-0.18, x=0, font=dict(size=12)))
    return go.Figure(data=data, layout=layout)


def shrunk_vector_figure(entries, lam: float, kind: str, value_range: tuple[float, float] = (-3.0, 3.0)) -> go.Figure:
    """The entries (shape (n,)) before (outlines) and after shrinkage at this λ (filled, inside them), L0 before → after in the title."""
    x = np.asarray(entries, dtype=float)
    out = shrink(x, lam, kind)
    labels = entry_labels(len(x))
    before, after = norms(x), norms(out)
    data = [
        go.Bar(x=labels, y=x.tolist(), name="before", width=0.7, marker=dict(color="rgba(0,0,0,0)",
               line=dict(color="#8c8c8c", width=1.5)), hovertemplate="%{x} before: %{y:.2f}<extra></extra>"),
        go.Bar(x=labels, y=out.tolist(), name="after shrinkage", width=0.42, marker_color=_bar_colors(out),
               text=_bar_text(out), textposition="outside", cliponaxis=False,
               hovertemplate="%{x} after: %{y:.2f}<extra></extra>"),
        _zero_markers(labels, out, name="exactly 0 after", text=False),
    ]
    title = f"L0 {before.l0} → {after.l0}   ·   L1 {before.l1:.2f} → {after.l1:.2f}"
    layout = dict(BASE_LAYOUT, height=380, title=dict(text=title, xref="paper", x=0, font=dict(size=15)), barmode="overlay", xaxis=dict(fixedrange=True),
                  yaxis=dict(title=dict(text="entry value"), range=[value_range[0] - 0.6, value_range[1] + 0.6],
                             zeroline=True, zerolinecolor="#444", zerolinewidth=1.5, fixedrange=True),
                  legend=dict(orientation="h", yanchor="top", y=-0.08, x=0, font=dict(size=12)))
    return go.Figure(data=data, layout=layout)
