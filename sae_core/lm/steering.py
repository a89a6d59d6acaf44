"""Steering: hold one unit of the LM's last MLP at a value, or add to it, while the model reads or writes.

A unit is an SAE latent (its decoder row is the direction moved along) or, with no SAE, an MLP neuron.
"clamp" sets the unit to `value` (h + (value − f_j)·d_j, the SAE's error term kept); "add" moves it by
`value` (h + value·d_j). The SAE reads raw activations (weights folded, as saved), so f_j and `value`
are in the units `mlp_activations` returns.

Shapes: h [batch, T, d_mlp]; d_j [d_mlp].
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import torch

MODES = ("clamp", "add")


@dataclass(frozen=True)
class Steer:
    latent: int  # an SAE latent, or an MLP neuron when `sae` is None
    value: float
    mode: str = "clamp"
    sae: object | None = None  # an LMSAE (sae.py)

    def __post_init__(self):
        if isinstance(self.value, bool) or not isinstance(self.value, numbers.Real) or not math.isfinite(self.value):
            raise ValueError(f"the steering strength must be a finite number, got {self.value!r}")
        if self.mode not in MODES:
            raise ValueError(f"the steering mode must be one of {', '.join(MODES)}, got {self.mode!r}")
        if isinstance(self.latent, bool) or not isinstance(self.latent, numbers.Integral) or self.latent < 0:
            raise ValueError(f"the unit to steer must be a non-negative integer, got {self.latent!r}")

    def check(self, d_mlp: int) -> None:
        """ValueError unless this steer fits a model whose MLP has d_mlp units."""
        width = self.sae.d_sae if self.sae is not None else d_mlp
        if self.sae is not None and self.sae.d_in != d_mlp:
            raise ValueError(f"the SAE reads {self.sae.d_in} activations; this model's MLP has {d_mlp}")
        if self.latent >= width:
            raise ValueError(f"unit {self.latent} does not exist; there are {width}")

    @torch.no_grad()
    def edit(self, h: torch.Tensor) -> torch.Tensor:
        """The steered activations. [B, T, d_mlp] → [B, T, d_mlp]"""
        if self.sae is None:
            h = h.clone()
            h[..., self.latent] = self.value if self.mode == "clamp" else h[..., self.latent] + self.value
            return h
        direction = self.sae.direction(self.latent)  # [d_mlp]
        if self.mode == "add":
            return h + self.value * direction
        f = self.sae.encode_torch(h.reshape(-1, h.shape[-1]))[:, self.latent].reshape(h.shape[:-1])
        return h + (self.value - f)[..., None] * direction
