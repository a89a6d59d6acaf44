"""What an L1 penalty does to one latent: shrink it towards zero by λ, and make it exactly zero within λ.

Soft-thresholding,  S_λ(z) = sign(z) · max(|z| − λ, 0),  is the minimiser over f of  ½(f − z)² + λ|f|:
the closest value to z once every unit of magnitude costs λ. Inputs with |z| ≤ λ become exactly 0 (the
penalty's slope beats the pull of the data); larger ones come back λ smaller (shrinkage).

The ReLU+L1 SAE's latents cannot be negative, so its version is one-sided: the minimiser over f ≥ 0 of
½(f − z)² + λ f is  max(z − λ, 0) = ReLU(z − λ).  With z = w·x + b a latent's pre-activation, that is
ReLU(w·x + (b − λ)): the L1 penalty's whole effect on one latent's code is to lower its bias by λ. A
ReLU encoder can therefore carry out the shrinkage itself, and training with the penalty does push each
firing latent's bias down (the gradient of λ·f with respect to b is λ while the latent fires). The price is
the same as in the two-sided case: every active latent reads λ low, which is why SAE metrics report
shrinkage and why TopK and JumpReLU SAEs avoid the L1 penalty.
"""

from __future__ import annotations

import numpy as np


def soft_threshold(z, lam: float) -> np.ndarray:
    """sign(z) · max(|z| − λ, 0), elementwise; same shape as `z`. λ ≥ 0."""
    if lam < 0:
        raise ValueError(f"λ must be non-negative, got {lam}")
    z = np.asarray(z, dtype=float)
    return np.sign(z) * np.maximum(np.abs(z) - lam, 0.0)


def relu_shrink(z, lam: float) -> np.ndarray:
    """max(z − λ, 0), elementwise; same shape as `z`: the ReLU+L1 encoder's latent with its bias lowered by λ."""
    if lam < 0:
        raise ValueError(f"λ must be non-negative, got {lam}")
    return np.maximum(np.asarray(z, dtype=float) - lam, 0.0)


KINDS = {"soft": "Two-sided: soft-thresholding", "relu": "One-sided: ReLU + L1"}


def shrink(z, lam: float, kind: str) -> np.ndarray:
    """`soft_threshold` for kind "soft", `relu_shrink` for kind "relu"; same shape as `z`."""
    if kind == "soft":
        return soft_threshold(z, lam)
    if kind == "relu":
        return relu_shrink(z, lam)
    raise ValueError(f"unknown shrinkage {kind!r}; expected one of {', '.join(KINDS)}")
