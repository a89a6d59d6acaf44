"""Figures and pictures as files for slides: a chart's numbers as CSV, a picture as a crisp PNG or as SVG.

A chart's PNG and SVG are drawn by plotly.js in the browser (the page's own renderer, nothing to install);
only what the server can make alone lives here.
"""

from __future__ import annotations

import base64
import csv
import io
import math

import numpy as np
import plotly.graph_objects as go

from app_core.figures.images import png_bytes

SLIDE_SIDE = 1080  # a 1920×1080 slide's short side: a picture's long side reaches it at least
_GRIDDED = {"heatmap", "contour", "surface", "heatmapgl"}


def _cell(value) -> object:
    """A value as written in a CSV cell: gaps (None, NaN) empty, numpy scalars as plain Python."""
    if value is None:
        return ""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return ""
    return value


def _array(values):
    """A trace's array as Python or numpy values; a figure read back from JSON holds numbers as base64
    "typed arrays" ({"dtype", "bdata", "shape"})."""
    if isinstance(values, dict) and "bdata" in values:
        flat = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
        shape = values.get("shape")
        return flat.reshape([int(n) for n in str(shape).split(",")]) if shape else flat
    return values


def _seq(values) -> list:
    values = _array(values)
    if values is None:
        return []
    return np.asarray(values).tolist() if isinstance(values, np.ndarray) else list(values)


def _shown(trace) -> bool:
    """Invisible traces carry no numbers a reader saw (the KL-loss landscape's click targets are opacity 0)."""
    if trace.visible is False or trace.opacity == 0:
        return False
    marker = getattr(trace, "marker", None)
    mode = getattr(trace, "mode", None)
    return not (mode == "markers" and marker is not None and marker.opacity == 0)


def _grid_rows(name: str, trace) -> list[list]:
    z = np.asarray(_array(trace.z), dtype=object)
    xs, ys = _seq(trace.x), _seq(trace.y)
    rows = []
    for r in range(z.shape[0]):
        for c in range(z.shape[1]):
            rows.append([name, xs[c] if c < len(xs) else c, ys[r] if r < len(ys) else r, z[r, c]])
    return rows


def _point_rows(name: str, trace) -> list[list]:
    xs, ys = _seq(trace.x), _seq(trace.y)
    if not xs and ys:  # Plotly's default x: the point's index
        xs = list(range(len(ys)))
    n = max(len(xs), len(ys))
    return [[name, xs[i] if i < len(xs) else None, ys[i] if i < len(ys) else None, None] for i in range(n)]


def figure_csv(fig) -> str:
    """Every shown trace's numbers as one tidy table: `trace,x,y,z`, one row per point.

    A heatmap gives one row per cell: x and y are its column's and row's coordinates (their labels, or
    indices when the trace has none) and z its value; other traces leave z empty. Gaps are empty cells.
    """
    fig = fig if isinstance(fig, go.Figure) else go.Figure(fig)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["trace", "x", "y", "z"])
    for i, trace in enumerate(fig.data):
        if not _shown(trace):
            continue
        name = trace.name or f"trace {i + 1}"
        gridded = trace.type in _GRIDDED and trace.z is not None and np.ndim(_array(trace.z)) == 2
        for row in (_grid_rows if gridded else _point_rows)(name, trace):
            writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def _unzoomed(rgb: np.ndarray) -> tuple[np.ndarray, int]:
    """(picture, k): the picture before `tile` enlarged each pixel to a k×k block (k = 1 if it was not).

    A vector file and a table then hold each pixel once instead of k² times.
    """
    h, w = rgb.shape[:2]
    for k in range(math.gcd(h, w), 1, -1):
        if h % k or w % k:
            continue
        small = rgb[::k, ::k]
        if np.array_equal(small.repeat(k, axis=0).repeat(k, axis=1), rgb):
            return small, k
    return rgb, 1


def slide_scale(shape: tuple[int, ...], min_side: int = SLIDE_SIDE) -> int:
    """The whole-number enlargement that brings a picture's long side to `min_side` or beyond."""
    return max(1, math.ceil(min_side / max(shape[0], shape[1])))


def image_png(rgb: np.ndarray, min_side: int = SLIDE_SIDE) -> bytes:
    """`rgb` [H, W, 3] uint8 as a PNG enlarged by whole pixels (nearest neighbour: edges stay sharp) until its
    long side is at least `min_side`."""
    rgb = np.asarray(rgb, dtype=np.uint8)
    k = slide_scale(rgb.shape, min_side)
    return png_bytes(rgb.repeat(k, axis=0).repeat(k, axis=1) if k > 1 else rgb)


def _hex(packed: int) -> str:
    return f"#{packed:06x}"


def image_svg(rgb: np.ndarray, min_side: int = SLIDE_SIDE) -> str:
    """`rgb` [H, W, 3] uint8 as vector rectangles: one rectangle per run of equal colour along a row, stacked
    over identical rows, one path per colour, the most common colour as the background. Its width and height
    are those of `image_png`'s file; it scales to any size without blur."""
    rgb = np.asarray(rgb, dtype=np.uint8)
    out_h, out_w = (side * slide_scale(rgb.shape, min_side) for side in rgb.shape[:2])
    small, _ = _unzoomed(rgb)
    h, w = small.shape[:2]
    packed = (small[..., 0].astype(np.int64) << 16) | (small[..., 1].astype(np.int64) << 8) | small[..., 2]
    colours, counts = np.unique(packed, return_counts=True)
    background = int(colours[np.argmax(counts)])
    paths: dict[int, list[str]] = {}
    top = 0
    while top < h:
        bottom = top + 1
        while bottom < h and np.array_equal(packed[bottom], packed[top]):
            bottom += 1
        row = packed[top]
        starts = np.concatenate([[0], np.flatnonzero(np.diff(row)) + 1])
        ends = np.concatenate([starts[1:], [w]])
        for start, end in zip(starts.tolist(), ends.tolist()):
            colour = int(row[start])
            if colour != background:
                paths.setdefault(colour, []).append(f"M{start} {top}h{end - start}v{bottom - top}h{start - end}z")
        top = bottom
    body = "".join(f'<path fill="{_hex(c)}" d="{"".join(parts)}"/>' for c, parts in sorted(paths.items()))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{out_w}" height="{out_h}" viewBox="0 0 {w} {h}" '
            f'shape-rendering="crispEdges"><rect width="{w}" height="{h}" fill="{_hex(background)}"/>{body}</svg>')


def image_csv(rgb: np.ndarray) -> str:
    """`rgb` [H, W, 3] uint8 as `row,col,r,g,b`, one line per pixel of the picture before `tile` enlarged it
    (a zoomed tile's k×k blocks are one pixel each)."""
    small, _ = _unzoomed(np.asarray(rgb, dtype=np.uint8))
    h, w = small.shape[:2]
    rows, cols = np.divmod(np.arange(h * w), w)
    table = np.column_stack([rows, cols, small.reshape(-1, 3).astype(np.int64)]).tolist()
    return "row,col,r,g,b\n" + "".join("%d,%d,%d,%d,%d\n" % tuple(line) for line in table)  # 3× savetxt's speed
