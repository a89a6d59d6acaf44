"""Figures for the SAE pages. Layouts are written out directly: several are redrawn on every tick.

The live ones (`LIVE_FIGURES`) are built from dict traces without Plotly's validation (`_live_figure`): on
the Sparsity trade-off page, checking three figures took ~27 ms of each visitor's ~95 ms redraw. Their tests
validate them instead (tests/app_core/figures/test_sae_figures_live.py)."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from app_core.figures.axes import log_axis, log_range

COLORS = {"relu": "#1f77b4", "kl": "#9467bd", "topk": "#2ca02c", "jumprelu": "#d62728", "ae": "#7f7f7f",
          "dictionary": "#000000"}
BASE_LAYOUT = dict(margin=dict(l=10, r=10, t=36, b=10), hovermode="closest")


MAX_CURVE_POINTS = 300


def _live_figure(data: list[dict], layout: dict) -> go.Figure:
    return go.Figure(data=data, layout=layout, _validate=False)


def thin(curve: Sequence, limit: int = MAX_CURVE_POINTS) -> list:
    """At most `limit` evenly spaced points, always keeping the latest: long runs redraw as fast as short ones."""
    if len(curve) <= limit:
        return list(curve)
    stride = -(-len(curve) // limit)
    kept = list(curve[::stride])
    return kept if kept[-1] is curve[-1] else kept + [curve[-1]]


def live_curves(curve: Sequence, show_mmcs: bool = False) -> go.Figure:
    """Four small panels against training step: L0, dead latents, MSE, explained variance (or MMCS)."""
    curve = thin(curve)
    # numpy arrays, not lists: Plotly checks a list number by number and an array at once (this figure is built
    # on every redraw of every visitor's live page)
    steps = np.array([m.step for m in curve], dtype=float)
    panels = [
        ("L0", _series(curve, lambda m: m.l0), "#1f77b4"),
        # NaN (a gap) until the run has seen a whole dead-latent window
        ("dead latents %", _series(curve, lambda m: None if m.dead_fraction is None else 100 * m.dead_fraction),
         "#7f7f7f"),
        ("MSE", _series(curve, lambda m: m.mse), "#d62728"),
        ("explained variance", _series(curve, lambda m: m.fve), "#2ca02c"),
    ]
    if show_mmcs:
        panels[3] = ("MMCS (true features)", _series(curve, lambda m: m.mmcs), "#9467bd")
    data, layout = [], dict(BASE_LAYOUT, height=440, showlegend=False)
    # Rows far enough apart that a lower panel's title clears the x tick labels of the one above in projector type.
    domains = [([0, 0.44], [0.62, 0.9]), ([0.56, 1], [0.62, 0.9]), ([0, 0.44], [0, 0.28]), ([0.56, 1], [0, 0.28])]
    annotations = []
    for i, ((title, ys, color), (xd, yd)) in enumerate(zip(panels, domains), start=1):
        suffix = "" if i == 1 else str(i)
        data.append(dict(type="scatter", x=steps, y=ys, mode="lines", line=dict(color=color, width=2.5),
                         xaxis=f"x{suffix}", yaxis=f"y{suffix}", name=title))
        # The latest value as a dot: the panel shows the number beside it even before it has a line to draw.
        shown = np.flatnonzero(np.isfinite(ys))
        if len(shown):
            last = shown[-1]
            data.append(dict(type="scatter", x=steps[last:last + 1], y=ys[last:last + 1], mode="markers",
                             marker=dict(color=color, size=8), xaxis=f"x{suffix}", yaxis=f"y{suffix}",
                             name=f"{title} now"))
        layout[f"xaxis{suffix}"] = dict(domain=xd, anchor=f"y{suffix}", rangemode="tozero", nticks=5,
                                        title=dict(text="step") if i > 2 else None)
        # Few y ticks and set off from the axis: a panel is ~100 px tall and its "0" sits at the x axis's "0".
        layout[f"yaxis{suffix}"] = dict(domain=yd, anchor=f"x{suffix}", rangemode="tozero", nticks=3,
                                        ticklabelstandoff=6)
        annotations.append(dict(text=f"<b>{title}</b>", x=xd[0], xanchor="left", y=yd[1], yanchor="bottom", yshift=8,
                                xref="paper", yref="paper", showarrow=False, font=dict(size=13, color=color)))
    layout["annotations"] = annotations
    layout["margin"] = dict(l=10, r=10, t=40, b=10)
    return _live_figure(data, layout)


def _series(points: Sequence, value) -> np.ndarray:
    """One measure per point as a float array, NaN where it is None (Plotly draws a gap)."""
    return np.array([np.nan if (v := value(m)) is None else v for m in points], dtype=float)


Y_TITLES = {"mse": "MSE per dimension", "fve": "explained variance"}
# A pin's label is drawn where it overprints no other, sized for projector type (20 px) on a plot ~420 × 200 px;
# the rest keep their label in the hover.
_PIN_CHAR_W, _PIN_LINE_H, _PIN_OFFSET = 11 / 420, 24 / 200, 9 / 200
_PIN_POSITIONS = ("top center", "bottom center", "top left", "top right", "bottom left", "bottom right")


def tradeoff_plane(current, trail: Sequence, pinned: Sequence, frontier: Sequence | None = None,
                   y: str = "mse", frontier_name: str | None = None) -> go.Figure:
    """Sparsity (L0) against reconstruction error, the current run moving over finished ones.

    `frontier`: reference points drawn behind the run, one line per method, named `frontier_name` (which should
    say what they are: a reference must be for the run's own configuration)."""
    data = []
    xs = [current.l0, *(m.l0 for m in trail), *(p.l0 for p in pinned), *(p.l0 for p in frontier or ())]
    ys = [getattr(current, y), *(getattr(m, y) for m in trail), *(getattr(p, y) for p in pinned),
          *(getattr(p, y) for p in frontier or ())]
    x_bounds = log_range(xs)
    y_bounds = _linear_range(ys)
    if frontier:
        by_method: dict[str, list] = {}
        for p in frontier:
            by_method.setdefault(p.label, []).append(p)
        for label, pts in by_method.items():
            pts = sorted(pts, key=lambda p: p.l0)
            data.append(dict(type="scatter", x=[p.l0 for p in pts], y=[getattr(p, y) for p in pts],
                             mode="lines+markers", name=frontier_name or label,
                             line=dict(color=COLORS.get(pts[0].method, "#999"), width=1.5),
                             marker=dict(size=6), opacity=0.55, hovertext=[p.setting for p in pts]))
    if pinned:
        positions = _pin_label_positions(pinned, y, x_bounds, y_bounds)
        data.append(dict(type="scatter", x=[p.l0 for p in pinned], y=[getattr(p, y) for p in pinned],
                         mode="markers+text", name="finished settings",
                         text=[p.label if pos else "" for p, pos in zip(pinned, positions)],
                         textposition=[pos or "top center" for pos in positions],
                         hovertext=[p.label for p in pinned],
                         marker=dict(size=11, color="#ff7f0e", symbol="diamond")))
    if trail:
        data.append(dict(type="scatter", x=_series(trail, lambda m: m.l0), y=_series(trail, lambda m: getattr(m, y)),
                         mode="lines", name="this run", line=dict(color="rgba(31,119,180,0.35)", width=2)))
    data.append(dict(type="scatter", x=[current.l0], y=[getattr(current, y)], mode="markers", name="now",
                     marker=dict(size=18, color="#1f77b4", line=dict(color="white", width=2))))
    layout = dict(BASE_LAYOUT, height=380,
                  xaxis=log_axis(title="L0: active latents per input (sparser → left)", bounds=x_bounds),
                  yaxis=dict(title=dict(text=Y_TITLES[y]),
                             range=list(y_bounds), nticks=6, ticklabelstandoff=4),
                  legend=dict(orientation="h", y=-0.3, x=0))
    return _live_figure(data, layout)


def _linear_range(values: Sequence, pad: float = 0.08) -> tuple[float, float]:
    """Bounds from 0 (or below, for a negative value) to past the largest finite value."""
    finite = [float(v) for v in values if v is not None and np.isfinite(v)]
    lo, hi = min([0.0, *finite]), max([0.0, *finite])
    span = (hi - lo) or 1.0
    return (lo - pad * span if lo < 0 else 0.0), hi + pad * span


def _pin_label_positions(pinned: Sequence, y: str, x_bounds, y_bounds) -> list[str | None]:
    """Each pin's label position (above or below it), or None where either would overprint another label; the
    newest pins choose first."""
    placed: list[tuple[float, float, float, float]] = []
    positions: list[str | None] = [None] * len(pinned)
    for i in range(len(pinned) - 1, -1, -1):
        p = pinned[i]
        if not (p.l0 and p.l0 > 0 and np.isfinite(getattr(p, y))):
            continue
        px = (np.log10(p.l0) - x_bounds[0]) / (x_bounds[1] - x_bounds[0])
        py = (getattr(p, y) - y_bounds[0]) / (y_bounds[1] - y_bounds[0])
        width = len(p.label) * _PIN_CHAR_W
        for position in _PIN_POSITIONS:
            vertical, horizontal = position.split()
            y0 = py + _PIN_OFFSET if vertical == "top" else py - _PIN_OFFSET - _PIN_LINE_H
            x0 = {"center": px - width / 2, "left": px - width, "right": px}[horizontal]
            box = (x0, y0, x0 + width, y0 + _PIN_LINE_H)
            inside = box[0] >= 0 and box[2] <= 1 and box[1] >= 0 and box[3] <= 1
            if inside and not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
                placed.append(box)
                positions[i] = position
                break
    return positions


def activation_bars(f_row: np.ndarray, active_row: np.ndarray | None = None) -> go.Figure:
    """One input's activation on every latent: a few tall bars when the code is sparse.

    Active and silent latents are two traces of one colour each: a colour per bar (a list of 256 strings) took
    Plotly ~25 ms to check on every redraw of a live page, and would stay a list in the browser's data."""
    f_row = np.asarray(f_row, dtype=float)
    active = f_row > 0 if active_row is None else np.asarray(active_row, dtype=bool)
    idx = np.arange(len(f_row))
    layout = dict(BASE_LAYOUT, height=260, barmode="overlay",
                  xaxis=dict(title=dict(text="latent"), range=[-0.5, len(f_row) - 0.5]),
                  yaxis=dict(title=dict(text="activation"), nticks=4), showlegend=False)
    # One latent wide each: without a width Plotly sizes a trace's bars by the gap between its x values, so
    # three active latents 20 apart were drawn 20 latents wide.
    return _live_figure([dict(type="bar", x=idx[~active], y=f_row[~active], width=BAR_WIDTH,
                              marker=dict(color="#cccccc"), name="silent"),
                         dict(type="bar", x=idx[active], y=f_row[active], width=BAR_WIDTH,
                              marker=dict(color="#1f77b4"), name="active")],
                        layout)


BAR_WIDTH = 0.9  # of one latent


def cosine_heatmap(cos_ordered: np.ndarray) -> go.Figure:
    """True features (rows) against decoder rows reordered by the Hungarian matching (columns)."""
    layout = dict(BASE_LAYOUT, height=360, xaxis=dict(title=dict(text="learned latents (matched order first)")),
                  yaxis=dict(title=dict(text="true feature"), autorange="reversed"))
    return go.Figure(data=[go.Heatmap(z=cos_ordered, zmin=-1, zmax=1, colorscale="RdBu", reversescale=True,
                                      colorbar=dict(title=dict(text="cosine", side="right")))], layout=layout)


def density_histogram(counts: np.ndarray, edges: np.ndarray, dead: int) -> go.Figure:
    centres = 0.5 * (edges[:-1] + edges[1:])
    colors = ["#7f7f7f" if i == 0 and dead else "#1f77b4" for i in range(len(counts))]
    layout = dict(BASE_LAYOUT, height=260, bargap=0.05, showlegend=False,
                  xaxis=dict(title=dict(text="log10 feature density (fraction of inputs a latent fires on)")),
                  yaxis=dict(title=dict(text="latents")))
    return go.Figure(data=[go.Bar(x=centres, y=counts, marker=dict(color=colors))], layout=layout)


def value_histogram(values: np.ndarray, title: str) -> go.Figure:
    layout = dict(BASE_LAYOUT, height=240, showlegend=False, xaxis=dict(title=dict(text=title)),
                  yaxis=dict(title=dict(text="inputs")))
    return go.Figure(data=[go.Histogram(x=values, nbinsx=40, marker=dict(color="#1f77b4"))], layout=layout)


def latent_scatter(density: np.ndarray, mean_act: np.ndarray, selected: int | None = None) -> go.Figure:
    """Each latent as a point (density, mean activation when firing); click one to inspect it."""
    logd = np.log10(np.maximum(density, 1e-6))
    colors = np.where(density == 0, "#bbbbbb", "#1f77b4")
    data = [go.Scatter(x=logd, y=mean_act, mode="markers", customdata=np.arange(len(density)),
                       hovertemplate="latent %{customdata}<br>log10 density %{x:.2f}<br>mean activation %{y:.3f}"
                                     "<extra></extra>", marker=dict(size=7, color=colors.tolist()))]
    if selected is not None:
        data.append(go.Scatter(x=[logd[selected]], y=[mean_act[selected]], mode="markers", hoverinfo="skip",
                               marker=dict(size=16, color="rgba(0,0,0,0)", line=dict(color="#d62728", width=3))))
    layout = dict(BASE_LAYOUT, height=320, showlegend=False,
                  xaxis=dict(title=dict(text="log10 density (dead latents at −6)")),
                  yaxis=dict(title=dict(text="mean activation when firing")))
    return go.Figure(data=data, layout=layout)


def mmcs_curve(curve: Sequence) -> go.Figure:
    curve = thin(curve)
    layout = dict(BASE_LAYOUT, height=240, showlegend=False, xaxis=dict(title=dict(text="step")),
                  yaxis=dict(title=dict(text="MMCS"), range=[0, 1.02]))
    return go.Figure(data=[go.Scatter(x=[m.step for m in curve], y=[m.mmcs for m in curve], mode="lines",
                                      line=dict(color="#9467bd", width=2.5))], layout=layout)


def frontier_figure(points: Sequence, y: str = "mse") -> go.Figure:
    """L0 against MSE (or explained variance) for every method; each line is one method's sweep."""
    ylabel = "MSE per dimension (lower is better)" if y == "mse" else "explained variance (higher is better)"
    by_method: dict[str, list] = {}
    for p in points:
        by_method.setdefault(p.label, []).append(p)
    data = []
    for label, pts in by_method.items():
        pts = sorted(pts, key=lambda p: p.l0)
        dash = "dot" if pts[0].method == "dictionary" else "solid"
        data.append(go.Scatter(x=[p.l0 for p in pts], y=[getattr(p, y) for p in pts], mode="lines+markers",
                               name=label, text=[p.setting for p in pts],
                               hovertemplate="%{text}<br>L0 %{x:.1f}<br>" + y + " %{y:.4g}<extra>" + label + "</extra>",
                               line=dict(color=COLORS.get(pts[0].method, "#999"), width=2.5, dash=dash),
                               marker=dict(size=9)))
    layout = dict(BASE_LAYOUT, height=480, xaxis=log_axis([p.l0 for p in points], "L0: active latents per input"),
                  yaxis=dict(title=dict(text=ylabel)), legend=dict(orientation="h", y=-0.18, x=0))
    return go.Figure(data=data, layout=layout)
