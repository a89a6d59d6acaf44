"""SAE variants, one file each. `build(arch, d_in, d_sae, seed)` makes one by name."""

from .base import SAE, ForwardOut, HParams, LossOut
from .bottleneck import BottleneckAE
from .jumprelu import JumpReLUSAE
from .kl_sparse import KLSparseSAE
from .relu import ReLUSAE
from .topk import TopKSAE

ARCHITECTURES: dict[str, type[SAE]] = {
    "relu": ReLUSAE,
    "kl": KLSparseSAE,
    "topk": TopKSAE,
    "jumprelu": JumpReLUSAE,
    "ae": BottleneckAE,
}
LABELS = {
    "ae": "Plain autoencoder (bottleneck)",
    "relu": "ReLU + L1",
    "kl": "KL-sparsity (sigmoid)",
    "topk": "TopK",
    "jumprelu": "JumpReLU",
}


def build(arch: str, d_in: int, d_sae: int, seed: int = 0) -> SAE:
    if arch not in ARCHITECTURES:
        raise ValueError(f"unknown architecture {arch!r}; choose one of {', '.join(ARCHITECTURES)}")
    return ARCHITECTURES[arch](d_in, d_sae, seed)


__all__ = ["ARCHITECTURES", "LABELS", "SAE", "ForwardOut", "HParams", "LossOut", "build"]
