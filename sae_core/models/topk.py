"""TopK SAE (Gao et al., OpenAI 2024): keep the k largest activations, AuxK loss revives dead latents."""

import torch

from .base import SAE, ForwardOut, HParams
from .spec import ArchSpec, Knob


class TopKSAE(SAE):
    architecture = "topk"

    def activate(self, pre: torch.Tensor, hp: HParams):
        k = max(1, min(int(hp.k), pre.shape[1]))
        values, indices = torch.topk(pre, k, dim=1, sorted=False)
        f = torch.zeros_like(pre).scatter(1, indices, torch.relu(values))
        return f, None

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
        f_aux = torch.zeros_like(out.pre).scatter(1, dead_ids[local], torch.relu(values))
        residual = (x - out.x_hat).detach()
        recon = f_aux @ self.W_dec
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
