"""KL-sparsity autoencoder (Ng, CS294A): sigmoid units whose mean firing is pulled towards ρ.

Its codes are small on average but never exactly zero, so every latent takes part in every
reconstruction (L0 = d_sae): the teaching point of showing it beside L1, TopK and JumpReLU, which give
exact zeros and so real sparsity.

Penalty β·Σⱼ KL(ρ ‖ ρ̂ⱼ), with ρ̂ⱼ the mean of unit j's sigmoid over the batch. The decoder rows stay
unit-norm like every variant here, so each unit gets a learned positive gain (softplus) that sets how
far it moves the reconstruction: without it a unit firing at 0.05 on average could not rebuild inputs
whose norm is √d, and training stalls at poor reconstruction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import math

import torch
import torch.nn.functional as F
from torch import nn

from sae_core.divergence.bernoulli import bernoulli_kl
from sae_core.models.base import SAE, ForwardOut
from sae_core.models.spec import ArchSpec, Knob

if TYPE_CHECKING:
    from sae_core.models import HParams

class KLSparseSAE(SAE):
    architecture = "kl"

    def __init__(self, d_in: int, d_sae: int, seed: int = 0):
        super().__init__(d_in, d_sae, seed)
        self.gain_raw = nn.Parameter(torch.full((d_sae,), math.log(math.e - 1.0) * 2.0))
        with torch.no_grad():
            self.b_enc.fill_(-3.0)  # σ(−3) ≈ 0.05: start near a typical target rate

    def gain(self) -> torch.Tensor:
        return F.softplus(self.gain_raw)

    def activate(self, pre: torch.Tensor, hp: HParams):
        # Every unit whose output is not exactly zero moves the reconstruction, so every such unit counts
        # towards L0: a sigmoid is (almost) never zero, and this model is dense. Counting only units above
        # ½ made it look sparse (L0 0.8 of 128 on 8×8 digits) while keeping only those units dropped its
        # FVE from 0.89 to 0.19. Its sparsity lives in the firing rates ρ̂ⱼ, not in exact zeros.
        return torch.sigmoid(pre) * self.gain(), None

    def latent_means(self, f: torch.Tensor) -> torch.Tensor:
        """ρ̂ⱼ: mean sigmoid output of each unit over the batch (the gain removed). [batch, d_sae] → [d_sae]

        On the codes' device: evaluations hand back codes on the CPU while a model trained on CUDA stays there, and
        moving the gain [d_sae] costs less than moving the codes."""
        return (f / self.gain().to(f.device)).mean(dim=0)

    def sparsity_loss(self, out: ForwardOut, hp: HParams) -> torch.Tensor:
        return hp.beta * bernoulli_kl(hp.rho, self.latent_means(out.f)).sum()

    def extra_tensors(self):
        return {"gain": self.gain().detach()}

    @torch.no_grad()
    def export_tensors(self, input_scale: float) -> dict[str, torch.Tensor]:
        """A sigmoid does not commute with a factor, so here s goes into the encoder instead:
        (s·x − b_dec)·W_enc = (x − b_dec/s)·(s·W_enc), and x̂ = (f·W_dec + b_dec)/s. (No SAELens
        architecture computes this model; the file loads here.)"""
        s = float(input_scale)
        return {"W_enc": self.W_enc.detach() * s, "b_enc": self.b_enc.detach().clone(),
                "W_dec": self.W_dec.detach() / s, "b_dec": self.b_dec.detach() / s, "gain": self.gain().detach()}

    @torch.no_grad()
    def load_extra_tensors(self, tensors: dict[str, torch.Tensor]) -> None:
        g = tensors["gain"].clamp_min(1e-6)
        self.gain_raw.copy_(g + torch.log(-torch.expm1(-g)))  # inverse softplus


RHO = Knob(
    param="rho", label="Target firing rate ρ", symbol="ρ", values=tuple(round(0.01 * i, 2) for i in range(1, 31)),
    log=False, defaults={"toy": 0.05, "dense": 0.05},
    help="Each latent's mean sigmoid output ρ̂ⱼ is pulled towards ρ.",
)
BETA = Knob(
    param="beta", label="KL weight β — loss = ‖x − x̂‖² + β·Σⱼ KL(ρ‖ρ̂ⱼ)", symbol="β",
    values=(0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0), log=True, defaults={"toy": 5.0, "dense": 20.0},
    help="How hard the firing rates are pulled towards ρ, against reconstruction.",
)

# Sigmoid codes learn slowly at the others' learning rate, and the firing rates' pull changes fast early on, which a
# long second-moment memory would damp: a higher rate and a shorter β₂ (BENCHMARKS.md, "Why the constants…").
SPEC = ArchSpec(name="kl", label="KL-sparsity (sigmoid)", model=KLSparseSAE, knobs=(RHO, BETA),
                learning_rate={"toy": 1e-2, "dense": 1e-2}, adam_beta2=0.95,
                sweep=("beta", (2.0, 5.0, 20.0, 60.0)),
                firing="its output is not exactly zero, which a sigmoid almost never is: this model is dense")
