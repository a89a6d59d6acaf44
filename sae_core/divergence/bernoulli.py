"""KL divergence between Bernoulli distributions: the KL-sparsity penalty of a sparse autoencoder.

Its own module, without SciPy: the KL-sparse model imports it, and so does every first Play of a live page
(models register together), where SciPy's special functions cost 0.3 s of the wait on 2 cores.
"""

from __future__ import annotations

import math

import numpy as np


def bernoulli_kl(rho, rho_hat):
    """KL(Bernoulli(ρ) ‖ Bernoulli(ρ̂)), elementwise, in nats, for ρ in (0, 1).

    The sparsity penalty of the CS294A sparse autoencoder. Works on floats, NumPy arrays and torch
    tensors (gradients flow through ρ̂). ρ̂ is kept inside [ε, 1 − ε] so a saturated unit gives a large
    finite penalty rather than inf; for tensors the gradient passes that limit unchanged (straight
    through), so a unit whose rate has saturated at 0 or 1 is still pulled back — a plain clamp would give
    it no gradient at all, and it would stay saturated.
    """
    if hasattr(rho_hat, "clamp"):  # torch tensor, without importing torch for NumPy callers
        eps = 1e-6
        r_hat = rho_hat + (rho_hat.clamp(eps, 1 - eps) - rho_hat).detach()
        return rho * (math.log(rho) - r_hat.log()) + (1 - rho) * (math.log(1 - rho) - (1 - r_hat).log())
    r_hat = np.clip(np.asarray(rho_hat, dtype=np.float64), 1e-6, 1 - 1e-6)
    return rho * np.log(rho / r_hat) + (1 - rho) * np.log((1 - rho) / (1 - r_hat))
