"""Shared SAE machinery: parameters in SAELens' layout, unit-norm decoder, forward pass.

Shapes: x [batch, d_in]; W_enc [d_in, d_sae]; b_enc [d_sae]; W_dec [d_sae, d_in]; b_dec [d_in];
f (latent activations) [batch, d_sae].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import torch
from torch import nn

from sae_core.training.precision import autocast

if TYPE_CHECKING:
    from sae_core.models import HParams  # made from the specs, once every architecture is loaded


@dataclass
class ForwardOut:
    x_hat: torch.Tensor | None  # [batch, d_in]; None from a training step that kept only x̂ − x
    f: torch.Tensor  # [batch, d_sae] activations used by the decoder
    pre: torch.Tensor | None  # [batch, d_sae] pre-activations; None where a training step did not keep them
    mask: torch.Tensor | None = None  # [batch, d_sae] bool, when firing is not simply f > 0
    latent_sums: torch.Tensor | None = None  # [d_sae] Σ over the batch of f, when a loss already summed it

    @property
    def active(self) -> torch.Tensor:
        """Which latents count as firing. [batch, d_sae] bool, built only when asked for."""
        return self.mask if self.mask is not None else self.f > 0

    def fired_any(self) -> torch.Tensor:
        """Latents that fired on at least one input of the batch. [d_sae] bool, one pass."""
        if self.mask is not None:
            return self.mask.any(dim=0)
        if self.latent_sums is not None:  # f ≥ 0 here: a latent fired somewhere iff its sum is positive
            return self.latent_sums > 0
        return self.f.detach().amax(dim=0) > 0


@dataclass
class LossOut:
    total: torch.Tensor
    mse: torch.Tensor  # mean over the batch of ‖x − x̂‖²
    sparsity: torch.Tensor  # the variant's penalty, already weighted
    aux: torch.Tensor  # auxiliary loss (TopK's AuxK), already weighted


class SAE(nn.Module):
    """Base class: ReLU encoder, linear decoder, b_dec subtracted before encoding (OpenAI, SAELens)."""

    architecture = "relu"
    unit_norm_decoder = True

    def __init__(self, d_in: int, d_sae: int, seed: int = 0):
        super().__init__()
        if d_in < 1 or d_sae < 1:
            raise ValueError(f"d_in and d_sae must be positive, got {d_in} and {d_sae}")
        g = torch.Generator().manual_seed(seed)
        w_dec = torch.randn(d_sae, d_in, generator=g)
        w_dec /= w_dec.norm(dim=1, keepdim=True)
        self.d_in, self.d_sae = d_in, d_sae
        self.W_dec = nn.Parameter(w_dec)
        # The encoder starts as the decoder's transpose, stored row-major: as a transposed view its
        # gradients needed a transposing copy every step and Adam walked it strided (Adam 1.2 → 0.7 ms).
        self.W_enc = nn.Parameter(w_dec.t().contiguous())
        self.b_enc = nn.Parameter(torch.zeros(d_sae))
        self.b_dec = nn.Parameter(torch.zeros(d_in))
        self.register_buffer("dead_mask", torch.zeros(d_sae, dtype=torch.bool), persistent=False)

    # --- forward -------------------------------------------------------------------------------
    def pre_acts(self, x: torch.Tensor) -> torch.Tensor:
        # (x − b_dec)·W_enc + b_enc, regrouped so autograd never needs ∂/∂x of a [batch, d_in] matmul:
        # b_dec's gradient then costs a vector-matrix product instead of a fifth large matmul.
        return torch.addmm(self.b_enc - self.b_dec @ self.W_enc, x, self.W_enc)

    def activate(self, pre: torch.Tensor, hp: HParams) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Activations, and the firing mask where firing is not simply f > 0 (else None)."""
        return torch.relu(pre), None

    def decode(self, f: torch.Tensor) -> torch.Tensor:
        return torch.addmm(self.b_dec, f, self.W_dec)  # one pass: the bias is added inside the product

    def forward(self, x: torch.Tensor, hp: HParams | None = None) -> ForwardOut:
        hp = hp or bare_hparams()
        pre = self.pre_acts(x)
        f, active = self.activate(pre, hp)
        return ForwardOut(self.decode(f), f, pre, active)

    def encode(self, x: torch.Tensor, hp: HParams | None = None) -> torch.Tensor:
        return self.forward(x, hp).f

    def latent_means(self, f: torch.Tensor) -> torch.Tensor:
        """Each latent's mean activation over the batch, in the units its sparsity is judged in. [B, d_sae] → [d_sae]"""
        return f.mean(dim=0)

    # --- loss ----------------------------------------------------------------------------------
    def sparsity_loss(self, out: ForwardOut, hp: HParams) -> torch.Tensor:
        # Mean ‖f‖₁ (f ≥ 0, unit-norm decoder rows), summed per latent first: the same pass then tells
        # the trainer which latents fired, sparing it another read of the [batch, d_sae] activations.
        sums = out.f.sum(dim=0)
        out.latent_sums = sums.detach()
        return sums.sum() * (hp.l1 / out.f.shape[0])

    def aux_loss(self, x: torch.Tensor, out: ForwardOut, hp: HParams) -> torch.Tensor:
        return torch.zeros((), device=x.device)

    def loss(self, x: torch.Tensor, hp: HParams) -> tuple[LossOut, ForwardOut]:
        out = self.forward(x, hp)
        mse = torch.nn.functional.mse_loss(out.x_hat, x, reduction="sum") / x.shape[0]  # one fused pass
        sparsity = self.sparsity_loss(out, hp)
        aux = self.aux_loss(x, out, hp)
        return LossOut(mse + sparsity + aux, mse, sparsity, aux), out

    def loss_and_grads(self, x: torch.Tensor, hp: HParams, precision: str = "fp32") -> tuple[LossOut, ForwardOut]:
        """One training batch: the loss, with every parameter's .grad replaced by this batch's gradient."""
        with autocast(precision, x.device.type):
            loss, out = self.loss(x, hp)
        for p in self.parameters():
            p.grad = None
        loss.total.backward()
        return loss, out

    # --- constraints ---------------------------------------------------------------------------
    @torch.no_grad()
    def normalise_decoder(self) -> None:
        if self.unit_norm_decoder:
            self.W_dec /= self.W_dec.norm(dim=1, keepdim=True).clamp_min(1e-8)

    @torch.no_grad()
    def remove_parallel_grad(self) -> None:
        """Project out the gradient component along each decoder row, so steps stay on the sphere."""
        if self.unit_norm_decoder and self.W_dec.grad is not None:
            w, g = self.W_dec, self.W_dec.grad
            g -= (g * w).sum(dim=1, keepdim=True) * w

    # --- export --------------------------------------------------------------------------------
    def extra_tensors(self) -> dict[str, torch.Tensor]:
        """Variant-specific tensors saved beside W_enc/b_enc/W_dec/b_dec (a fresh model's give the shapes)."""
        return {}

    @torch.no_grad()
    def export_tensors(self, input_scale: float) -> dict[str, torch.Tensor]:
        """Every tensor of a saved model, for raw inputs in original units (the trainer's inputs were x·s).

        With s folded this way the decoder rows keep unit norm and only the activations change units:
        pre' = pre/s, f' = f/s (ReLU and TopK commute with a positive factor), x̂ = f'·W_dec + b_dec/s.
        SAELens' `fold_W_dec_norm` then has nothing to rescale, and TopK needs no folding at all.
        """
        s = float(input_scale)
        return {"W_enc": self.W_enc.detach().clone(), "b_enc": self.b_enc.detach() / s,
                "W_dec": self.W_dec.detach().clone(), "b_dec": self.b_dec.detach() / s,
                **self.extra_tensors_for_export(s)}

    def extra_tensors_for_export(self, input_scale: float) -> dict[str, torch.Tensor]:
        """`extra_tensors` in the exported units (see `export_tensors`)."""
        return self.extra_tensors()

    def load_extra_tensors(self, tensors: dict[str, torch.Tensor]) -> None:
        """The inverse of `extra_tensors`: set this model's own parameters from saved tensors."""

    def extra_config(self, hp: HParams) -> dict:
        return {}


def bare_hparams():
    """`HParams()`, every knob at its dense preset: for a forward pass given none."""
    from sae_core.models import HParams  # made in the package, from the specs of every architecture

    return HParams()
