"""ReLU SAE with an L1 penalty (Anthropic's "Towards Monosemanticity" recipe)."""

from .base import SAE


class ReLUSAE(SAE):
    """f = ReLU((x − b_dec)·W_enc + b_enc); loss = ‖x − x̂‖² + l1·‖f‖₁."""

    architecture = "relu"
