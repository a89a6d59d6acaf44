"""Default hyperparameters for an architecture and a kind of data, read from the architecture's spec.

Inputs are normalised so that E‖x‖² = d, which is what lets one set of numbers serve MNIST, 8×8 digits
and user arrays alike; toy data are sparser and want a faster learning rate (and the KL model a weaker
penalty). Values come from sweeps on MNIST-5k and the default toy data (see BENCHMARKS.md).
"""

from __future__ import annotations

from sae_core.models import DATA_KINDS, HParams, spec_of

EPOCHS = {"toy": 15.0, "images": 60.0, "array": 60.0}


def default_hparams(arch: str, kind: str = "images") -> tuple[HParams, float]:
    """(hyperparameters, epochs) for `arch` on `kind` ∈ DATA_KINDS; a fresh copy each call."""
    if kind not in DATA_KINDS:
        raise ValueError(f"unknown kind of data {kind!r}; choose one of {', '.join(DATA_KINDS)}")
    spec = spec_of(arch)
    hp = HParams(lr=spec.learning_rate["toy" if kind == "toy" else "dense"], adam_beta2=spec.adam_beta2)
    for knob in spec.knobs:
        setattr(hp, knob.param, knob.default(kind))
    return hp, EPOCHS[kind]
