"""Figures for the Autoencoders page: the codes of a few inputs, as rows of a heatmap."""

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
