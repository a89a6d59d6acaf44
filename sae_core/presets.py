"""Default hyperparameters per architecture and kind of data.

Inputs are normalised so that E‖x‖² = d, which is what lets one set of numbers serve MNIST, 8×8 digits
and user arrays alike; toy data are sparser and want a stronger penalty and a faster learning rate.
Values come from sweeps on MNIST-5k and the default toy data (see BENCHMARKS.md).
"""

from __future__ import annotations

from dataclasses import replace

from .models import HParams

_DENSE = {
    "relu": HParams(lr=3e-3, l1=1.0),
    "kl": HParams(lr=3e-3, rho=0.05, beta=20.0),
    "topk": HParams(lr=3e-3, k=20),
    "jumprelu": HParams(lr=3e-3, l0_coef=1.0),
    "ae": HParams(lr=3e-3),
}
_TOY = {
    "relu": HParams(lr=1e-2, l1=1.0),
    "kl": HParams(lr=1e-2, rho=0.05, beta=5.0),
    "topk": HParams(lr=1e-2, k=4),
    "jumprelu": HParams(lr=1e-2, l0_coef=1.0),
    "ae": HParams(lr=1e-2),
}
EPOCHS = {"toy": 15.0, "images": 60.0, "array": 60.0}


def default_hparams(arch: str, kind: str = "images") -> tuple[HParams, float]:
    """(hyperparameters, epochs) for `arch` on `kind` ∈ {toy, images, array}; a fresh copy each call."""
    table = _TOY if kind == "toy" else _DENSE
    if arch not in table:
        raise ValueError(f"unknown architecture {arch!r}")
    return replace(table[arch]), EPOCHS.get(kind, 60.0)
