"""SAE architectures, one file each; this registry lists them. `build(arch, d_in, d_sae, seed)` makes one."""

from sae_core.models import bottleneck, jumprelu, kl_sparse, relu, topk
from sae_core.models.base import SAE, ForwardOut, LossOut
from sae_core.models.hparams import hparams_class
from sae_core.models.spec import DATA_KINDS, ArchSpec, Knob

SPECS: dict[str, ArchSpec] = {spec.name: spec for spec in (
    relu.SPEC,
    kl_sparse.SPEC,
    topk.SPEC,
    jumprelu.SPEC,
    bottleneck.SPEC,
)}
LABELS = {name: spec.label for name, spec in SPECS.items()}
HParams = hparams_class(SPECS.values())  # every spec's knobs and settings, each one field


def spec_of(arch: str) -> ArchSpec:
    if arch not in SPECS:
        raise ValueError(f"unknown architecture {arch!r}; choose one of {', '.join(SPECS)}")
    return SPECS[arch]


def build(arch: str, d_in: int, d_sae: int, seed: int = 0) -> SAE:
    return spec_of(arch).model(d_in, d_sae, seed)


__all__ = ["DATA_KINDS", "LABELS", "SPECS", "SAE", "ArchSpec", "ForwardOut", "HParams", "Knob", "LossOut", "build",
           "spec_of"]
