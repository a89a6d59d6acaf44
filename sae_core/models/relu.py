"""ReLU SAE with an L1 penalty (Anthropic's "Towards Monosemanticity" recipe)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from sae_core.training.precision import autocast
from sae_core.models import relu_grad
from sae_core.models.base import SAE, ForwardOut, LossOut
from sae_core.models.spec import ArchSpec, Knob

if TYPE_CHECKING:
    from sae_core.models import HParams


class ReLUSAE(SAE):
    """f = ReLU((x − b_dec)·W_enc + b_enc); loss = ‖x − x̂‖² + l1·‖f‖₁."""

    architecture = "relu"

    def __init__(self, d_in: int, d_sae: int, seed: int = 0):
        super().__init__(d_in, d_sae, seed)
        self._grad_workspace: relu_grad.Workspace | None = None

    def loss_and_grads(self, x: torch.Tensor, hp: HParams, precision: str = "fp32") -> tuple[LossOut, ForwardOut]:
        # bf16 is cast explicitly inside; TF32 (CUDA) is a mode of fp32 products, set around the step.
        with autocast("tf32" if precision == "tf32" else "fp32", x.device.type):
            loss, out, self._grad_workspace = relu_grad.loss_and_grads(self, x, hp.l1, self._grad_workspace,
                                                                        precision)
        return loss, out


L1 = Knob(
    param="l1", label="L1 coefficient λ — loss = ‖x − x̂‖² + λ·‖f‖₁", symbol="L1",
    values=(0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0), log=True,
    defaults={"toy": 1.0, "dense": 1.0},
    help="Weight of the mean L1 norm of the activations. Larger: fewer latents fire, and the ones that do "
         "are shrunk towards zero.",
)

SPEC = ArchSpec(name="relu", label="ReLU + L1", model=ReLUSAE, knobs=(L1,), sweep=("l1", (0.1, 0.3, 1.0, 3.0)),
                saelens_name="standard")
