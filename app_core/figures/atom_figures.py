"""Decoder atoms as one clickable chart, every atom numbered by its latent, for any kind of data.

Images: each atom is drawn as its picture in a grid (red positive, blue negative, each scaled by its own largest
weight), its latent's number in its corner. Any other data (toy features, a .npy or .csv array): each atom is a
row of a heatmap, one cell per input dimension, labelled by its latent. Either way an invisible grid of points
over each atom carries its latent's index, so a click on the atom selects it (`customdata`), as a click on a
point of the latents' scatter does.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

# Selectable points per atom: about one per 20 px of a typical atom's drawing, so a click anywhere on it lands
# within Plotly's hover distance of one. They are small: Plotly measures a click's distance from a marker's edge,
# so markers larger than an atom overlap and the first of them wins, not the nearest.
HITS_PER_SIDE = 3
MAX_HITS_PER_ROW = 32
SIGNED = [[0.0, "#2166ac"], [0.5, "#f7f7f7"], [1.0, "#b2182b"]]  # the atom tiles' blue–white–red
TYPICAL_WIDTH_PX = 1000  # a wide chart's plotting width: the image grid's height is set for it
LEVELS = 100  # each weight sent as a whole percent of its atom's largest: int8, a quarter of float32's bytes


def _scaled(atoms: np.ndarray) -> np.ndarray:
    """Each atom as whole percents of its largest |weight| (an all-zero atom stays zero), as the tiles are drawn."""
    peak = np.abs(atoms).max(axis=1, keepdims=True)
    unit = np.divide(atoms, peak, out=np.zeros_like(atoms, dtype=np.float64), where=peak > 0)
    return np.rint(unit * LEVELS).astype(np.int8)


def atom_grid(atoms: np.ndarray, ids, image_shape: tuple[int, int] | None, selected: int | None = None,
              cols: int = 16, title: str = "Decoder atoms, numbered by latent: click one to inspect it") -> go.Figure:
    """atoms: [n, d] decoder rows; ids: their latents' indices; `selected` is outlined if shown."""
    atoms = np.asarray(atoms, dtype=np.float64).reshape(len(ids), -1)
    ids = [int(j) for j in ids]
    if image_shape:
        return _image_grid(_scaled(atoms), ids, image_shape, selected, cols, title)
    return _row_grid(_scaled(atoms), ids, selected, title)


def _hit_trace(x, y, latents) -> dict:
    return dict(type="scatter", mode="markers", x=x, y=y, customdata=[[j] for j in latents], showlegend=False,
                marker=dict(size=4, color="rgba(0,0,0,0)"), name="atoms",
                hovertemplate="latent %{customdata[0]}: click to inspect<extra></extra>")


def _image_grid(z: np.ndarray, ids: list[int], shape: tuple[int, int], selected, cols: int, title: str) -> go.Figure:
    h, w = shape
    n, pad = len(ids), 1
    cols = max(1, min(cols, n))
    rows = max(1, -(-n // cols))
    canvas = np.zeros((rows * (h + pad) + pad, cols * (w + pad) + pad), dtype=np.int8)
    hx, hy, hj, labels, shapes = [], [], [], [], []
    for i, (atom, j) in enumerate(zip(z, ids)):
        r, c = divmod(i, cols)
        y0, x0 = pad + r * (h + pad), pad + c * (w + pad)
        canvas[y0:y0 + h, x0:x0 + w] = atom.reshape(h, w)
        for fy in (np.arange(HITS_PER_SIDE) + 0.5) / HITS_PER_SIDE:
            for fx in (np.arange(HITS_PER_SIDE) + 0.5) / HITS_PER_SIDE:
                hx.append(x0 - 0.5 + fx * w)
                hy.append(y0 - 0.5 + fy * h)
                hj.append(j)
        labels.append(dict(x=x0 - 0.5, y=y0 - 0.5, text=str(j), showarrow=False, xanchor="left", yanchor="top",
                           font=dict(size=10, color="#333"), bgcolor="rgba(255,255,255,0.75)", borderpad=0))
        # a white frame parts the atoms, whose background is as pale as the padding between them
        shapes.append(dict(type="rect", x0=x0 - 1, x1=x0 + w, y0=y0 - 1, y1=y0 + h, layer="above",
                           line=dict(color="#ff7f0e" if j == selected else "white", width=3 if j == selected else 1)))
    heat = dict(type="heatmap", z=canvas, zmin=-LEVELS, zmax=LEVELS, colorscale=SIGNED, showscale=False,
                hoverinfo="skip")
    # The grid keeps its pixels square: tall enough for its aspect at a typical chart width, no taller.
    height = max(160, int(60 + TYPICAL_WIDTH_PX * canvas.shape[0] / canvas.shape[1]))
    return go.Figure(data=[heat, _hit_trace(hx, hy, hj)], layout=dict(
        title=dict(text=title, font=dict(size=14)), height=height, margin=dict(l=10, r=10, t=40, b=10),
        plot_bgcolor="white", dragmode=False, hovermode="closest", annotations=labels, shapes=shapes,
        xaxis=dict(visible=False, range=[-0.5, canvas.shape[1] - 0.5], constrain="domain"),
        yaxis=dict(visible=False, range=[canvas.shape[0] - 0.5, -0.5], scaleanchor="x", constrain="domain")))


def _row_grid(z: np.ndarray, ids: list[int], selected, title: str) -> go.Figure:
    n, d = z.shape
    step = max(1, -(-d // MAX_HITS_PER_ROW))
    columns = np.arange(0, d, step)
    hx = np.tile(columns, n).tolist()
    hy = np.repeat(np.arange(n), len(columns)).tolist()
    hj = np.repeat(ids, len(columns)).tolist()
    heat = dict(type="heatmap", z=z, x=list(range(d)), y=list(range(n)), zmin=-LEVELS, zmax=LEVELS, colorscale=SIGNED,
                showscale=False, hoverinfo="skip", ygap=1)
    shapes = [dict(type="rect", x0=-0.5, x1=d - 0.5, y0=row - 0.5, y1=row + 0.5, line=dict(color="#ff7f0e", width=3))
              for row, j in enumerate(ids) if j == selected]
    return go.Figure(data=[heat, _hit_trace(hx, hy, hj)], layout=dict(
        title=dict(text=title, font=dict(size=14)), height=max(200, 13 * n + 90), margin=dict(l=10, r=10, t=40, b=10),
        plot_bgcolor="white", dragmode=False, hovermode="closest", shapes=shapes,
        xaxis=dict(title=dict(text="input dimension"), range=[-0.5, d - 0.5], showgrid=False, zeroline=False),
        yaxis=dict(title=dict(text="latent"), tickmode="array", tickvals=list(range(n)), ticktext=[str(j) for j in ids],
                   range=[n - 0.5, -0.5], showgrid=False, zeroline=False)))
