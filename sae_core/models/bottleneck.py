"""A plain bottleneck autoencoder: fewer latents than inputs and no sparsity penalty."""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from sae_core.models.base import SAE, ForwardOut
from sae_core.models.spec import ArchSpec

if TYPE_CHECKING:
    from sae_core.models import HParams


class BottleneckAE(SAE):
    """Same shapes as an SAE, but d_sae < d_in usually, and nothing pushes activations to zero."""

    architecture = "ae"

    def sparsity_loss(self, out: ForwardOut, hp: HParams) -> torch.Tensor:
        return torch.zeros((), device=out.f.device)


SPEC = ArchSpec(name="ae", label="Plain autoencoder (bottleneck)", model=BottleneckAE, knobs=(), sweep=None,
                saelens_name="standard")
