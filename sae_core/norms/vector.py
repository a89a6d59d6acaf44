"""The L0, L1 and L2 norms of a vector.

L0 counts the non-zero entries (not a norm: doubling a vector leaves it unchanged); L1 sums their
magnitudes; L2 is the Euclidean length. An SAE wants a small L0, but L0 has no useful gradient, so the
ReLU+L1 SAE penalises L1 instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# An entry counts as zero when its magnitude is at most ZERO_TOL. The vectors here come from sliders on a
# 0.1 grid and from soft-thresholding, which returns exact zeros, so any tolerance far below the grid works;
# 1e-9 absorbs the last-bit error of sums such as 0.1 + 0.2 − 0.3 without hiding a genuinely small entry.
ZERO_TOL = 1e-9


def is_zero(x, tol: float = ZERO_TOL) -> np.ndarray:
    """Elementwise |x| ≤ tol; same shape as `x`."""
    return np.abs(np.asarray(x, dtype=float)) <= tol


def l0(x, tol: float = ZERO_TOL) -> int:
    """Number of entries of the 1-D array `x` (shape (n,)) whose magnitude exceeds `tol`."""
    return int(np.count_nonzero(~is_zero(x, tol)))


def l1(x) -> float:
    """Σ |x_i| over `x` of shape (n,)."""
    return float(np.abs(np.asarray(x, dtype=float)).sum())


def l2(x) -> float:
    """√(Σ x_i²) over `x` of shape (n,)."""
    return float(np.sqrt(np.square(np.asarray(x, dtype=float)).sum()))


@dataclass(frozen=True)
class Norms:
    l0: int
    l1: float
    l2: float


def norms(x, tol: float = ZERO_TOL) -> Norms:
    """All three norms of `x` (shape (n,))."""
    return Norms(l0(x, tol), l1(x), l2(x))


# One-line definitions, shown as the metrics' help on the page.
HELP = {
    "l0": "L0 = the number of non-zero entries. Not a true norm: doubling the vector leaves it unchanged.",
    "l1": "L1 = |x₁| + |x₂| + … the sum of the entries' magnitudes.",
    "l2": "L2 = √(x₁² + x₂² + …) the vector's Euclidean length.",
}
