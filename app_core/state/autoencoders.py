"""The Autoencoders page's state: how narrow the bottleneck is, how hard the sparse model is pushed."""

from __future__ import annotations

from dataclasses import dataclass

from app_core.state.codec import Grid, Integer, url_field

WIDTHS = (8, 12, 16, 24, 32)
# A stretch of the ReLU + L1 model's λ grid (sae_core.models.relu.L1; a test keeps them in step), named
# here because the page must not load torch, which the model's module does, before anyone trains.
L1_VALUES = (0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
SPARSE_LATENTS = 256
PROBES = 6


@dataclass(frozen=True)
class AutoencodersState:
    width: int = url_field("width", Grid(WIDTHS, integer=True), 16, label="bottleneck width")
    l1: float = url_field("l1", Grid(L1_VALUES), 1.0, label="L1 coefficient")
    seed: int = url_field("seed", Integer(0, 10_000), 0)
