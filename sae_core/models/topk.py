"""TopK SAE (Gao et al., OpenAI 2024): keep the k largest activations, AuxK loss revives dead latents."""

import torch
import torch.nn.functional as F

from sae_core.models.base import SAE, ForwardOut, HParams
from sae_core.models.spec import ArchSpec, Knob

# At most one latent in this many active: decode by gathering the k decoder rows each input uses (OpenAI's
# sparse_autoencoder does so on GPU with its own kernels) instead of a dense [batch, d_sae]·[d_sae, d_in]
# product that multiplies mostly zeros. Forward and backward of the decoder, 2 cores, fp32: batch 4096,
# 784 → 1024, k = 32: 212 → 79 ms; batch 512, 768 latents, k = 20: 17.6 → 7.2 ms; at k/d_sae ≈ 1/8 both
# took the same time (k = 32 of 256: 3.8 vs 3.6 ms; k = 120 of 768: 18.0 vs 19.1 ms).
SPARSE_DECODE_RATIO = 8
# With bf16 products (AMX, 2 cores) the dense product is about 4× cheaper and the gather is not: there
# they took the same time at one latent in 32–38 active (4096, 784 → 1024, k = 32: 58.9 vs 57.7 ms;
# 512, 768 latents, k = 20: 4.4 vs 4.2 ms), dense won at one in 8 (k = 32 of 256: 1.7 vs 2.6 ms) and
# gathering at one in 128 (k = 32 of 4096: 176 vs 53 ms). Not measured on a GPU, so CUDA keeps the fp32 rule.
SPARSE_DECODE_RATIO_BF16 = 32


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
        hp = hp or HParams()
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
        # (In the TopK recipe 2–30 of 768 latents are dead at a time; its matrix products over 60 steps took
        # 536 ms instead of 856 ms.)
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
                firing="it is among the input's k largest and above 0", saelens_name="topk")
