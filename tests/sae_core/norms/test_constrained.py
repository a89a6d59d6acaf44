"""Least squares inside an L1 or L2 ball in 2-D: exact zeros where the geometry puts a corner, agreement with
brute force and with scipy on random problems, and an L2 answer that is never sparse for a generic w*."""

import math

import numpy as np
import pytest
from scipy.optimize import minimize

from sae_core.norms.constrained import Quadratic, contour_ellipse, l1_constrained, l2_constrained, solve_both
from sae_core.norms.shrinkage import soft_threshold


def random_problems(n: int, seed: int):
    rng = np.random.default_rng(seed)
    for _ in range(n):
        q = Quadratic.from_ellipse(rng.uniform(-2.5, 2.5, 2), rng.uniform(0, 180), rng.uniform(1, 5))
        yield q, float(rng.uniform(0.2, 2.5))


def brute_force(q: Quadratic, t: float, norm: str, n: int = 400_000) -> np.ndarray:
    """The minimiser found by evaluating the loss at n points spread over the ball's boundary (or w* itself
    when it is inside: a convex loss has its constrained minimum on the boundary otherwise)."""
    size = np.abs(q.w_star).sum() if norm == "L1" else np.linalg.norm(q.w_star)
    if size <= t:
        return q.w_star
    angle = np.linspace(0, 2 * math.pi, n, endpoint=False)
    if norm == "L2":
        pts = t * np.stack([np.cos(angle), np.sin(angle)], axis=-1)
    else:  # the diamond traced by the same angle: scale each direction onto |w₁| + |w₂| = t
        d = np.stack([np.cos(angle), np.sin(angle)], axis=-1)
        pts = t * d / np.abs(d).sum(axis=-1, keepdims=True)
    return pts[np.argmin(q.loss(pts))]


def test_ellipse_parameters_give_the_curvatures_and_directions_they_promise():
    q = Quadratic.from_ellipse([0.0, 0.0], 30.0, 3.0)
    h, vecs = np.linalg.eigh(q.H)
    assert h == pytest.approx([1 / 3, 3]) and np.linalg.det(q.H) == pytest.approx(1.0)
    long_axis = vecs[:, 0]  # the small curvature runs along the contours' long axis
    assert abs(long_axis @ [math.cos(math.radians(30)), math.sin(math.radians(30))]) == pytest.approx(1.0)
    assert np.allclose(Quadratic.from_ellipse([1, 2], 75, 1.0).H, np.eye(2))
    with pytest.raises(ValueError, match="elongation"):
        Quadratic.from_ellipse([0, 0], 0, 0.5)


def test_l1_lands_exactly_on_a_corner_where_the_geometry_says_so():
    # Round contours around (3, 0.5): projecting onto the diamond subtracts τ = 2 from both coordinates,
    # which takes the second below zero, so the answer is the corner (1, 0). The circle keeps both.
    q = Quadratic.from_ellipse([3.0, 0.5], 0.0, 1.0)
    l1_sol, l2_sol = solve_both(q, 1.0)
    assert l1_sol.w[0] == 1.0 and l1_sol.w[1] == 0.0  # exactly, not approximately
    assert l1_sol.zeros == (False, True) and l1_sol.n_zeros == 1
    assert np.allclose(l2_sol.w, np.array([3.0, 0.5]) / math.hypot(3.0, 0.5)) and l2_sol.n_zeros == 0
    # The page's default: tilted, stretched contours also touch the diamond first at a corner.
    l1_sol, l2_sol = solve_both(Quadratic.from_ellipse([1.8, 1.0], 120.0, 2.5), 1.0)
    assert l1_sol.w.tolist() == [1.0, 0.0] and l2_sol.n_zeros == 0


def test_inside_the_ball_the_answer_is_w_star():
    q = Quadratic.from_ellipse([0.3, -0.4], 45.0, 2.0)
    l1_sol, l2_sol = solve_both(q, 1.0)
    assert np.array_equal(l1_sol.w, q.w_star) and np.array_equal(l2_sol.w, q.w_star)
    assert not l1_sol.on_boundary and not l2_sol.on_boundary and l1_sol.loss == 0.0


@pytest.mark.slow  # a brute-force search per problem
@pytest.mark.parametrize("norm,solver", [("L1", l1_constrained), ("L2", l2_constrained)])
def test_solvers_match_brute_force_on_random_problems(norm, solver):
    for q, t in random_problems(60, seed=3 if norm == "L1" else 4):
        w = solver(q.H, q.w_star, t)
        brute = brute_force(q, t, norm)
        assert np.allclose(w, brute, atol=1e-3), (q, t, w, brute)
        assert q.loss(w) <= q.loss(brute) + 1e-9  # never worse than any boundary point tried
        size = np.abs(w).sum() if norm == "L1" else np.linalg.norm(w)
        assert size <= t + 1e-9


def test_solvers_match_scipy():
    for q, t in random_problems(15, seed=5):
        l2 = minimize(q.loss, np.zeros(2), method="SLSQP",
                      constraints=[dict(type="ineq", fun=lambda w: t ** 2 - w @ w)], options=dict(ftol=1e-12))
        assert np.allclose(l2_constrained(q.H, q.w_star, t), l2.x, atol=1e-4)
        # L1 made smooth by splitting w = u − v with u, v ≥ 0 and Σ(u + v) ≤ t.
        l1 = minimize(lambda uv: q.loss(uv[:2] - uv[2:]), np.full(4, 0.01), method="SLSQP", bounds=[(0, None)] * 4,
                      constraints=[dict(type="ineq", fun=lambda uv: t - uv.sum())], options=dict(ftol=1e-12))
        assert np.allclose(l1_constrained(q.H, q.w_star, t), l1.x[:2] - l1.x[2:], atol=1e-4)


def test_l2_is_never_sparse_for_a_generic_w_star_and_l1_often_is():
    l1_zeros = 0
    problems = [(q, t) for q, t in random_problems(400, seed=6) if np.linalg.norm(q.w_star) > t]
    for q, t in problems:
        l1_sol, l2_sol = solve_both(q, t)
        assert np.all(np.abs(l2_sol.w) > 1e-6), (q, t, l2_sol.w)
        l1_zeros += l1_sol.n_zeros > 0
    assert l1_zeros > 0.3 * len(problems)


def duchi_tau(v: np.ndarray, t: float) -> float:
    """The threshold of the Euclidean projection onto the L1 ball of radius t (Duchi et al. 2008, by sorting)."""
    u = np.sort(np.abs(v))[::-1]
    cumsum = np.cumsum(u)
    j = np.arange(1, len(u) + 1)
    rho = j[u - (cumsum - t) / j > 0][-1]
    return (cumsum[rho - 1] - t) / rho


def test_with_round_contours_l1_is_soft_thresholding_and_sparse_exactly_where_expected():
    # With H = I the constrained answer is the Euclidean projection onto the diamond, which is
    # soft-thresholding at the τ that brings the L1 norm down to t; it has a zero iff ||w₁| − |w₂|| ≥ t.
    rng = np.random.default_rng(7)
    H, t = np.eye(2), 1.0
    stars = rng.uniform(-2.5, 2.5, size=(2000, 2))
    w = l1_constrained(H, stars, t)
    assert w.shape == stars.shape
    checked = 0
    for star, sol in zip(stars, w):
        if np.abs(star).sum() <= t:
            continue
        assert np.allclose(sol, soft_threshold(star, duchi_tau(star, t)), atol=1e-12)
        gap = abs(abs(star[0]) - abs(star[1]))
        if abs(gap - t) > 1e-9:
            assert bool(np.any(sol == 0.0)) == (gap > t)
            checked += 1
    assert checked > 1500


def test_l2_solution_meets_the_lagrange_condition():
    for q, t in random_problems(50, seed=8):
        w = l2_constrained(q.H, q.w_star, t)
        if np.linalg.norm(q.w_star) <= t:
            continue
        assert np.linalg.norm(w) == pytest.approx(t, abs=1e-10)
        pull = -q.H @ (w - q.w_star)  # −∇L points straight out of the ball at the optimum
        assert pull @ w > 0 and abs(pull[0] * w[1] - pull[1] * w[0]) < 1e-8 * max(1.0, np.linalg.norm(pull))


def test_batches_keep_their_shape():
    q = Quadratic.from_ellipse([0, 0], 20, 2)
    stars = np.random.default_rng(9).uniform(-2, 2, size=(3, 5, 2))
    for solver in (l1_constrained, l2_constrained):
        out = solver(q.H, stars, 0.8)
        assert out.shape == (3, 5, 2)
        assert np.allclose(out[1, 2], solver(q.H, stars[1, 2], 0.8))


def test_contour_ellipse_lies_on_its_level():
    q = Quadratic.from_ellipse([1.0, -0.5], 60, 3)
    for level in (0.01, 0.7, 4.0):
        assert np.allclose(q.loss(contour_ellipse(q, level)), level)


def test_a_radius_must_be_positive():
    with pytest.raises(ValueError, match="positive"):
        solve_both(Quadratic.from_ellipse([1, 1], 0, 1), 0.0)
