"""From a page's state to the hyperparameters it trains with."""

from __future__ import annotations

from sae_core.models import HParams, spec_of
from sae_core.training.presets import default_hparams

LEARNING_RATES = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2)


def with_knobs(state, arch: str, kind: str, lr: float | None) -> HParams:
    """`arch`'s preset for `kind` of data, its sparsity knobs read from `state`'s fields of the same
    names, and the learning rate `lr` (None keeps the preset's)."""
    hp, _ = default_hparams(arch, kind)
    for knob in spec_of(arch).knobs:
        value = getattr(state, knob.param)
        setattr(hp, knob.param, int(value) if knob.integer else value)
    if lr is not None:
        hp.lr = lr
    return hp
