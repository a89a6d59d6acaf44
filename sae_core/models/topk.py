"""TopK SAE (Gao et al., OpenAI 2024): keep the k largest activations, AuxK loss revives dead latents."""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F

from sae_core.models.base import SAE, ForwardOut, bare_hparams
from sae_core.models.spec import ArchSpec, Knob

if TYPE_CHECKING:
    from sae_core.models import HParams

# At most one latent in this many active: gathering the k decoder rows beats a dense product of mostly zeros
# (where the two break even: BENCHMARKS.md, "Why the constants are what they are").
SPARSE_DECODE_RATIO = 8
SPARSE_DECODE_RATIO_BF16 = 32  # bf16 products make the dense one ~4× cheaper, the gather not; CUDA keeps fp32's


def gathers(k: int, d_sae: int, device_type: str) -> bool:
    """Whether to decode by gathering the k active rows (else a dense product) at these sizes."""
    bf16 = (device_type == "cpu" and torch.is_autocast_enabled("cpu")
            and torch.get_autocast_dtype("cpu") == torch.bfloat16)
    return k * (SPARSE_DECODE_RATIO_BF16 if bf16 else SPARSE_DECODE_RATIO) <= d_sae


class TopKSAE(SAE):
    architecture = "topk"

    @staticmethod
    def _k(hp: HParams, d_sae: int) -> int:
        return max(1, min(int(hp.k), d_sae))

    def _selected(self, pre: torch.Tensor, hp: HParams) -> tuple[torch.Tensor, torch.Tensor]:
        """Each input's k largest pre-activations, through the ReLU, and their latents. [batch, k] twice"""
        values, indices = torch.topk(pre, self._k(hp, pre.shape[1]), dim=1, sorted=False)
        return torch.relu(values), indices

    def activate(self, pre: torch.Tensor, hp: HParams):
        values, indices = self._selected(pre, hp)
        return torch.zeros_like(pre).scatter(1, indices, values), None

    def forward(self, x: torch.Tensor, hp: HParams | None = None) -> ForwardOut:
        hp = hp or bare_hparams()
        pre = self.pre_acts(x)
        if not gathers(self._k(hp, pre.shape[1]), pre.shape[1], pre.device.type):
            f, _ = self.activate(pre, hp)
            return ForwardOut(self.decode(f), f, pre, None)
        values, indices = self._selected(pre, hp)
        # x̂ = Σⱼ values[:, j]·W_dec[indices[:, j]] + b_dec, each input's k rows summed. [batch, d_in]
        x_hat = F.embedding_bag(indices, self.W_dec, per_sample_weights=values.to(self.W_dec.dtype),
                                mode="sum") + self.b_dec
        with torch.no_grad():  # the dense code, for what is measured of it; the loss does not go through it
            f = torch.zeros_like(pre).scatter_(1, indices, values)
        return ForwardOut(x_hat, f, pre, None)

    def sparsity_loss(self, out: ForwardOut, hp: HParams) -> torch.Tensor:
        return torch.zeros((), device=out.f.device)  # sparsity is enforced by construction

    def aux_loss(self, x: torch.Tensor, out: ForwardOut, hp: HParams) -> torch.Tensor:
        """Dead latents' top k_aux activations try to reconstruct the main residual."""
        dead = self.dead_mask
        n_dead = int(dead.sum())
        if n_dead == 0 or hp.aux_k_coef <= 0:
            return torch.zeros((), device=x.device)
        k_aux = min(n_dead, max(1, self.d_in // 2))
        # Rank only the dead columns: far cheaper than masking and ranking all d_sae when few are dead.
        dead_ids = dead.nonzero().squeeze(1)
        values, local = torch.topk(out.pre[:, dead_ids], k_aux, dim=1, sorted=False)
        # Only dead columns can be active here: decode with the dead latents' rows alone. [batch, n_dead]
        f_aux = values.new_zeros(len(x), n_dead).scatter(1, local, torch.relu(values))
        residual = (x - out.x_hat).detach()
        recon = f_aux @ self.W_dec[dead_ids]
        # Normalised by the residual's size (OpenAI): the term stays comparable as training improves.
        err = (recon - residual).pow(2).sum(dim=1).mean() / residual.pow(2).sum(dim=1).mean().clamp_min(1e-8)
        return hp.aux_k_coef * err * out.x_hat.shape[1]

    def extra_config(self, hp: HParams) -> dict:
        # Exported decoder rows have unit norm, so rescaling by them would change nothing; say so plainly.
        return {"k": int(hp.k), "rescale_acts_by_decoder_norm": False}


K = Knob(
    param="k", label="k — active latents per input", symbol="k",
    values=(1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512), log=True,
    defaults={"toy": 4, "dense": 20}, integer=True,
    help="Each input keeps its k largest activations and zeroes the rest: L0 is k by construction "
         "(at most the number of latents).",
)

SPEC = ArchSpec(name="topk", label="TopK", model=TopKSAE, knobs=(K,), sweep=("k", (4, 8, 16, 32)),
                firing="it is among the input's k largest and above 0", saelens_name="topk",
                settings={"aux_k_coef": 1 / 32})  # the weight of the AuxK loss on dead latents
