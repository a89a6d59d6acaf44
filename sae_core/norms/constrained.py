"""Least squares in 2-D under an L1 or an L2 constraint, solved exactly.

The loss is the quadratic  L(w) = ½ (w − w*)ᵀ H (w − w*),  w ∈ ℝ².

Why this form rather than ½‖Aw − y‖²: the two are the same family. Expanding ½‖Aw − y‖² gives
½ (w − w*)ᵀ AᵀA (w − w*) + const, with w* the least-squares solution and H = AᵀA, and neither the constant
nor a scale of H moves a constrained minimiser. Writing H directly lets a person set what they see — where
the contours are centred (w*), which way they lean (an angle) and how stretched they are (an elongation) —
instead of a matrix A whose effect on the picture is indirect:

    H = R(θ) diag(1/e, e) R(θ)ᵀ,

so the contour ellipses have their long axis at angle θ, long/short axis ratio e ≥ 1, and det H = 1 (the
area inside a contour does not change with e).

The constrained problems  min L(w)  subject to  ‖w‖₁ ≤ t,  and separately  ‖w‖₂ ≤ t,  are solved exactly:

* L2: if ‖w*‖₂ ≤ t the answer is w*. Otherwise the Lagrange condition gives w(λ) = (H + λI)⁻¹ H w* with
  ‖w(λ)‖₂ = t; in H's eigenbasis each coordinate h_i v_i/(h_i + λ) shrinks monotonically in λ, so bisection
  on λ converges to machine precision. For generic w* no coordinate of w(λ) is zero.
* L1: if ‖w*‖₁ ≤ t the answer is w*. Otherwise the minimiser of a convex function over a convex set lies on
  the set's boundary, and the L1 ball's boundary in 2-D is four segments. The minimum of a convex quadratic
  on a segment has a closed form (clip the stationary point to the segment), so the four candidates are
  compared and the best kept. When the clip lands on an end, the answer *is* a corner (±t, 0) or (0, ±t),
  whose other coordinate is exactly 0.0 — the sparsity the page is about, computed rather than drawn.

Both solvers take a batch of w* of shape (..., 2) and return the same shape.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sae_core.norms.vector import ZERO_TOL, is_zero

BISECTION_STEPS = 100  # halves the bracket (at most a few hundred wide here) far below machine precision


@dataclass(frozen=True)
class Quadratic:
    """L(w) = ½ (w − w*)ᵀ H (w − w*): `w_star` shape (2,), `H` shape (2, 2), symmetric positive definite."""

    w_star: np.ndarray
    H: np.ndarray

    @classmethod
    def from_ellipse(cls, w_star, angle_deg: float, elongation: float) -> "Quadratic":
        """Contours centred on `w_star` (shape (2,)) with their long axis at `angle_deg` degrees from the w₁
        axis and long/short axis ratio `elongation` (≥ 1)."""
        if elongation < 1:
            raise ValueError(f"elongation must be at least 1, got {elongation}")
        theta = math.radians(angle_deg)
        R = np.array([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])
        # Curvature 1/e along the long axis and e across it: axis lengths ∝ 1/√curvature, ratio e.
        H = R @ np.diag([1.0 / elongation, elongation]) @ R.T
        return cls(np.asarray(w_star, dtype=float).reshape(2), H)

    def loss(self, w) -> np.ndarray:
        """L at `w` of shape (..., 2); returns shape (...)."""
        d = np.asarray(w, dtype=float) - self.w_star
        return 0.5 * np.einsum("...i,ij,...j->...", d, self.H, d)


def _loss_batch(H: np.ndarray, w_star: np.ndarray, w: np.ndarray) -> np.ndarray:
    d = w - w_star
    return 0.5 * np.einsum("...i,ij,...j->...", d, H, d)


def l1_constrained(H, w_star, t: float) -> np.ndarray:
    """argmin ½(w − w*)ᵀH(w − w*) subject to ‖w‖₁ ≤ t, for `w_star` of shape (..., 2); returns shape (..., 2).

    Exact: the best of the four edge minimisers of the L1 ball (see the module docstring); a corner is
    returned exactly, so its zero coordinate is 0.0, not merely small.
    """
    H = np.asarray(H, dtype=float)
    w_star = np.asarray(w_star, dtype=float)
    corners = np.array([[t, 0.0], [0.0, t], [-t, 0.0], [0.0, -t]])
    best = np.broadcast_to(corners[0], w_star.shape).copy()
    best_loss = _loss_batch(H, w_star, best)
    for k in range(4):
        a, b = corners[k], corners[(k + 1) % 4]
        d = b - a
        # Stationary point of s ↦ L(a + s d): s = dᵀH(w* − a) / dᵀHd, then clipped onto the segment.
        s = np.clip(((w_star - a) @ H @ d) / (d @ H @ d), 0.0, 1.0)[..., None]
        point = np.where(s <= 0.0, a, np.where(s >= 1.0, b, a + s * d))
        loss = _loss_batch(H, w_star, point)
        better = loss < best_loss
        best = np.where(better[..., None], point, best)
        best_loss = np.where(better, loss, best_loss)
    inside = (np.abs(w_star).sum(axis=-1) <= t)[..., None]
    return np.where(inside, w_star, best)


def l2_constrained(H, w_star, t: float) -> np.ndarray:
    """argmin ½(w − w*)ᵀH(w − w*) subject to ‖w‖₂ ≤ t, for `w_star` of shape (..., 2); returns shape (..., 2).

    Bisection on the Lagrange multiplier λ ≥ 0 of w(λ) = (H + λI)⁻¹ H w*, worked in H's eigenbasis where
    every coordinate is a scalar h_i v_i / (h_i + λ).
    """
    H = np.asarray(H, dtype=float)
    w_star = np.asarray(w_star, dtype=float)
    h, Q = np.linalg.eigh(H)
    v = w_star @ Q  # w* in the eigenbasis, shape (..., 2)
    hv = h * v
    lo = np.zeros(w_star.shape[:-1])
    # At λ = h_max‖w*‖/t every |h_i v_i|/(h_i + λ) ≤ |v_i|·t/‖w*‖, so ‖w(λ)‖ ≤ t: a valid upper end.
    hi = h.max() * np.linalg.norm(w_star, axis=-1) / t + 1.0
    for _ in range(BISECTION_STEPS):
        mid = 0.5 * (lo + hi)
        too_long = np.linalg.norm(hv / (h + mid[..., None]), axis=-1) > t
        lo, hi = np.where(too_long, mid, lo), np.where(too_long, hi, mid)
    on_ball = (hv / (h + hi[..., None])) @ Q.T
    inside = (np.linalg.norm(w_star, axis=-1) <= t)[..., None]
    return np.where(inside, w_star, on_ball)


@dataclass(frozen=True)
class Solution:
    """One constrained minimiser: `w` shape (2,), its loss, and which coordinates are exactly zero."""

    norm: str  # "L1" or "L2"
    w: np.ndarray
    loss: float
    zeros: tuple[bool, bool]
    on_boundary: bool  # False when w* itself satisfies the constraint

    @property
    def n_zeros(self) -> int:
        return sum(self.zeros)


def _solution(norm: str, q: Quadratic, w: np.ndarray, t: float) -> Solution:
    size = np.abs(q.w_star).sum() if norm == "L1" else np.linalg.norm(q.w_star)
    zeros = tuple(bool(z) for z in is_zero(w, ZERO_TOL))
    return Solution(norm, w, float(q.loss(w)), zeros, bool(size > t))


def solve_both(q: Quadratic, t: float) -> tuple[Solution, Solution]:
    """(L1-constrained, L2-constrained) minimisers of `q` within radius `t`."""
    if t <= 0:
        raise ValueError(f"the radius t must be positive, got {t}")
    return (_solution("L1", q, l1_constrained(q.H, q.w_star, t), t),
            _solution("L2", q, l2_constrained(q.H, q.w_star, t), t))


def contour_ellipse(q: Quadratic, level: float, n: int = 181) -> np.ndarray:
    """Points (shape (n, 2)) on the contour L(w) = `level`: w = w* + √(2·level) H^(−½) u over the unit circle."""
    h, Q = np.linalg.eigh(q.H)
    angles = np.linspace(0.0, 2.0 * math.pi, n)
    u = np.stack([np.cos(angles), np.sin(angles)], axis=-1)
    return q.w_star + math.sqrt(2.0 * max(level, 0.0)) * (u / np.sqrt(h)) @ Q.T
