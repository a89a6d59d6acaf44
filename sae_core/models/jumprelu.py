"""JumpReLU SAE (Rajamanoharan et al. 2024): learned per-latent thresholds, L0 penalty, STE gradients.

f = z·H(z − θ). The step H has no useful gradient, so straight-through estimators with a rectangle
kernel K of width ε stand in:  ∂/∂θ JumpReLU(z) = −(θ/ε)·K((z−θ)/ε),  ∂/∂θ H(z−θ) = −(1/ε)·K((z−θ)/ε).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import math

import torch
from torch import nn

from sae_core.models.base import SAE, ForwardOut
from sae_core.models.spec import ArchSpec, Knob

if TYPE_CHECKING:
    from sae_core.models import HParams


def _kernel(u: torch.Tensor) -> torch.Tensor:
    return ((u > -0.5) & (u < 0.5)).to(u.dtype)


class _JumpReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, z, threshold, bandwidth):
        ctx.save_for_backward(z, threshold)
        ctx.bandwidth = bandwidth
        return z * (z > threshold)

    @staticmethod
    def backward(ctx, grad):
        z, threshold = ctx.saved_tensors
        eps = ctx.bandwidth
        grad_z = grad * (z > threshold)
        grad_t = (-(threshold / eps) * _kernel((z - threshold) / eps) * grad).sum(dim=0)
        return grad_z, grad_t, None


class _Step(torch.autograd.Function):
    @staticmethod
    def forward(ctx, z, threshold, bandwidth):
        ctx.save_for_backward(z, threshold)
        ctx.bandwidth = bandwidth
        return (z > threshold).to(z.dtype)

    @staticmethod
    def backward(ctx, grad):
        z, threshold = ctx.saved_tensors
        eps = ctx.bandwidth
        grad_t = (-(1.0 / eps) * _kernel((z - threshold) / eps) * grad).sum(dim=0)
        return torch.zeros_like(z), grad_t, None


class JumpReLUSAE(SAE):
    architecture = "jumprelu"

    def __init__(self, d_in: int, d_sae: int, seed: int = 0, initial_threshold: float = 0.1):
        super().__init__(d_in, d_sae, seed)
        self.log_threshold = nn.Parameter(torch.full((d_sae,), math.log(initial_threshold)))

    def threshold(self) -> torch.Tensor:
        return self.log_threshold.exp()

    def activate(self, pre: torch.Tensor, hp: HParams):
        theta = self.threshold()
        # On the raw pre-activation, as for the L0 step below (SAELens): with θ > 0 the values are those of
        # relu(pre), but the threshold's gradient kernel must see where pre really lies, not relu's 0.
        f = _JumpReLU.apply(pre, theta, hp.bandwidth)
        return f, None

    def sparsity_loss(self, out: ForwardOut, hp: HParams) -> torch.Tensor:
        l0 = _Step.apply(out.pre, self.threshold(), hp.bandwidth).sum(dim=1).mean()
        return hp.l0_coef * l0

    def extra_tensors(self):
        return {"threshold": self.threshold().detach()}

    def extra_tensors_for_export(self, input_scale: float) -> dict[str, torch.Tensor]:
        return {"threshold": self.threshold().detach() / input_scale}  # compared with pre/s once exported

    @torch.no_grad()
    def load_extra_tensors(self, tensors: dict[str, torch.Tensor]) -> None:
        # SAELens zeroes units with pre ≤ θ on top of a ReLU, so any θ ≤ 0 acts as θ = 0; here θ = exp(·) > 0,
        # and a tiny θ gives the same outputs.
        self.log_threshold.copy_(tensors["threshold"].clamp_min(1e-12).log())


L0_COEF = Knob(
    param="l0_coef", label="L0 coefficient — loss = ‖x − x̂‖² + c·L0", symbol="L0 coef",
    values=(0.03, 0.1, 0.3, 1.0, 3.0, 10.0), log=True, defaults={"toy": 1.0, "dense": 1.0},
    help="Weight of the number of active latents, trained through straight-through estimators of the "
         "per-latent thresholds.",
)

SPEC = ArchSpec(name="jumprelu", label="JumpReLU", model=JumpReLUSAE, knobs=(L0_COEF,),
                sweep=("l0_coef", (0.1, 0.3, 1.0, 3.0)), firing="its pre-activation exceeds its learned threshold θ",
                saelens_name="jumprelu",
                settings={"bandwidth": 0.05})  # the straight-through estimators' kernel width ε
