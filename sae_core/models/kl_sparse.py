"""KL-sparsity autoencoder (Ng, CS294A): sigmoid units whose mean firing is pulled towards ρ.

Penalty β·Σⱼ KL(ρ ‖ ρ̂ⱼ), with ρ̂ⱼ the mean of unit j's sigmoid over the batch. The decoder rows stay
unit-norm like every variant here, so each unit gets a learned positive gain (softplus) that sets how
far it moves the reconstruction: without it a unit firing at 0.05 on average could not rebuild inputs
whose norm is √d, and training stalls at poor reconstruction.
"""

import math

import torch
import torch.nn.functional as F
from torch import nn

from ..divergence import bernoulli_kl
from .base import SAE, ForwardOut, HParams

ACTIVE_THRESHOLD = 0.5  # a sigmoid unit above one half counts as firing


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
        prob = torch.sigmoid(pre)
        return prob * self.gain(), prob > ACTIVE_THRESHOLD

    def firing_rates(self, out: ForwardOut) -> torch.Tensor:
        """ρ̂ⱼ: mean sigmoid output of each unit over the batch. [d_sae]"""
        return (out.f / self.gain()).mean(dim=0)

    def sparsity_loss(self, out: ForwardOut, hp: HParams) -> torch.Tensor:
        return hp.beta * bernoulli_kl(hp.rho, self.firing_rates(out)).sum()

    def extra_tensors(self):
        return {"gain": self.gain().detach()}
