"""ReLU SAE with an L1 penalty (Anthropic's "Towards Monosemanticity" recipe)."""

import torch

from . import relu_grad
from .base import SAE, ForwardOut, HParams, LossOut


class ReLUSAE(SAE):
    """f = ReLU((x − b_dec)·W_enc + b_enc); loss = ‖x − x̂‖² + l1·‖f‖₁."""

    architecture = "relu"

    def __init__(self, d_in: int, d_sae: int, seed: int = 0):
        super().__init__(d_in, d_sae, seed)
        self._grad_workspace: relu_grad.Workspace | None = None

    def loss_and_grads(self, x: torch.Tensor, hp: HParams, precision: str = "fp32") -> tuple[LossOut, ForwardOut]:
        loss, out, self._grad_workspace = relu_grad.loss_and_grads(self, x, hp.l1, self._grad_workspace, precision)
        return loss, out
