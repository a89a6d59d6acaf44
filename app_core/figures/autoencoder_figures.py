"""Figures for the Autoencoders page: how many numbers each model passes along, and the codes of a few inputs, as
rows of a heatmap."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

BASE_LAYOUT = dict(margin=dict(l=10, r=10, t=40, b=10), hovermode="closest", dragmode=False)


def code_heatmap(f: np.ndarray, labels: list[str], title: str, height: int = 260) -> go.Figure:
    """Each input's code, one row per input and one column per latent; exactly zero is white.

    f: [P, latents]. Each row is scaled by its own largest activation, so a short dense code and a long
    sparse one are compared by their pattern, not by their units.
    """
    scale = np.maximum(np.abs(f).max(axis=1, keepdims=True), 1e-12)
    z = np.where(f == 0, np.nan, f / scale)
    zeros = (f == 0).sum(axis=1)
    text = [[f"{v:.3f}" for v in row] for row in f]
    return go.Figure(data=[dict(type="heatmap", 
        z=z, y=[f"{lab} ({f.shape[1] - n} on)" for lab, n in zip(labels, zeros)],
        x=list(range(f.shape[1])), zmin=-1, zmax=1, colorscale="RdBu", reversescale=True, showscale=False,
        text=text, hovertemplate="latent %{x}<br>%{y}<br>activation %{text}<extra></extra>", ygap=2,
        xgap=1 if f.shape[1] <= 64 else 0,  # a gap per column would hide 256 columns on a phone
        hoverongaps=False)],
        layout=dict(**BASE_LAYOUT, height=height, title=dict(text=title, font=dict(size=14)),
                    plot_bgcolor="white", xaxis=dict(title=dict(text="latent"), showgrid=False),
                    yaxis=dict(autorange="reversed", showgrid=False)))


def code_sizes_figure(pixels: int, width: int, sparse_latents: int, height: int = 260) -> go.Figure:
    """How many numbers each autoencoder turns an input into and back: input → code → reconstruction, the
    bottleneck's code shorter than the input, the sparse one's longer than the bottleneck's (and, once trained,
    mostly zeros)."""
    stages = ["input x", "code f", "reconstruction x̂"]
    models = (("bottleneck", width, "#1f77b4"), ("sparse", sparse_latents, "#d62728"))
    data = [dict(type="bar", x=stages, y=[pixels, latents, pixels], name=f"{name}: {latents} latents",
                 marker=dict(color=color), text=[f"{pixels}", f"{latents}", f"{pixels}"], textposition="outside",
                 cliponaxis=False, hovertemplate="%{x}: %{y} numbers<extra>" + name + "</extra>")
            for name, latents, color in models]
    return go.Figure(data=data, layout=dict(
        **BASE_LAYOUT, height=height, barmode="group", bargap=0.35,
        title=dict(text="Numbers per input, in and out of each autoencoder", font=dict(size=14)),
        yaxis=dict(title=dict(text="numbers"), range=[0, pixels * 1.2], showgrid=False),
        legend=dict(orientation="h", y=-0.2, x=0.5, xanchor="center")))
