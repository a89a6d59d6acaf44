"""Figures for the language-model page: the LM's training curve, a unit's activation histogram, and the purity of
neurons against latents."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from app_core.figures.sae_figures import BASE_LAYOUT, thin

NEURON_COLOR, LATENT_COLOR = "#7f7f7f", "#2ca02c"


def training_curve(curve: list, heldout_bits: float | None = None) -> go.Figure:
    """Bits per byte of each training batch against LM step; the held-out figure as a dashed line when known."""
    points = thin(curve)
    fig = go.Figure(go.Scatter(x=[p[0] for p in points], y=[p[1] for p in points], mode="lines", name="training batch",
                               line=dict(color="#1f77b4", width=2.5)))
    if heldout_bits is not None and np.isfinite(heldout_bits):
        fig.add_hline(y=heldout_bits, line=dict(dash="dash", color="#d62728"),
                      annotation_text=f"held-out files: {heldout_bits:.2f}", annotation_position="top right")
    fig.update_layout(BASE_LAYOUT, height=300, title="The language model learning",
                      xaxis_title="training step", yaxis_title="bits per character", showlegend=False)
    return fig


def unit_histogram(hist: dict, unit_name: str) -> go.Figure:
    """Counts of the unit's non-zero activations over the browsed characters."""
    edges = np.asarray(hist["edges"])
    centres = (edges[:-1] + edges[1:]) / 2
    fig = go.Figure(go.Bar(x=centres, y=hist["counts"], width=np.diff(edges), marker_color="#ff9f43",
                           name="characters"))
    fig.update_layout(BASE_LAYOUT, height=260, title=f"{unit_name}: activations where not zero",
                      xaxis_title="activation", yaxis_title="characters", bargap=0.05, showlegend=False)
    return fig


def purity_histograms(comparison: dict) -> go.Figure:
    """Purity of neurons and of latents, side by side, each as a share of its units; the threshold marked."""
    edges = np.asarray(comparison["edges"])
    centres = (edges[:-1] + edges[1:]) / 2
    fig = go.Figure()
    for name, color in (("neurons", NEURON_COLOR), ("latents", LATENT_COLOR)):
        counts = np.asarray(comparison["histogram"][name], dtype=float)
        share = counts / counts.sum() if counts.sum() else counts
        fig.add_trace(go.Bar(x=centres, y=share, name=name, marker_color=color, width=(edges[1] - edges[0]) * 0.45,
                             offset=-(edges[1] - edges[0]) * (0.47 if name == "neurons" else 0.02)))
    fig.add_vline(x=comparison["threshold"], line=dict(dash="dash", color="#111"),
                  annotation_text=f"monosemantic: purity ≥ {comparison['threshold']:g}",
                  annotation_position="top left")
    fig.update_layout(BASE_LAYOUT, height=320, title="How pure are units? Neurons against SAE latents",
                      xaxis_title="purity (share of a unit's top characters of its commonest kind)",
                      yaxis_title="share of units", yaxis_tickformat=".0%", xaxis_range=[0, 1.02],
                      legend=dict(orientation="h", y=1.12, x=0))
    return fig
