"""L0, L1 and L2 of known vectors, and what counts as zero."""

import numpy as np
import pytest

from sae_core.norms.vector import ZERO_TOL, is_zero, l0, l1, l2, norms


@pytest.mark.parametrize("x,want", [
    ([3.0, -4.0, 0.0], (2, 7.0, 5.0)),
    ([0.0, 0.0, 0.0], (0, 0.0, 0.0)),
    ([-1.0] * 4, (4, 4.0, 2.0)),
    ([2.0, -1.5, 0.3, 0.0, -0.2, 1.0], (5, 5.0, np.sqrt(4 + 2.25 + 0.09 + 0.04 + 1))),
])
def test_norms_of_known_vectors(x, want):
    n = norms(x)
    assert (n.l0, n.l1, n.l2) == (want[0], pytest.approx(want[1]), pytest.approx(want[2]))


def test_zero_means_within_the_documented_tolerance():
    assert l0([0.1 + 0.2 - 0.3, 1.0]) == 1  # last-bit rounding is not a non-zero entry
    assert l0([ZERO_TOL, -ZERO_TOL]) == 0
    assert l0([2 * ZERO_TOL, 1e-6]) == 2
    assert l0([1e-4, 0.0], tol=1e-3) == 0
    assert is_zero(np.array([[0.0, 1.0], [-0.0, 1e-12]])).tolist() == [[True, False], [True, True]]


def test_l0_ignores_scale_and_l1_l2_do_not():
    x = np.array([0.5, 0.0, -2.0])
    assert l0(3 * x) == l0(x) == 2
    assert l1(3 * x) == pytest.approx(3 * l1(x)) and l2(3 * x) == pytest.approx(3 * l2(x))


def test_norm_inequalities_hold_for_random_vectors():
    rng = np.random.default_rng(0)
    for _ in range(200):
        x = rng.normal(size=6) * (rng.random(6) < 0.6)
        n = norms(x)
        assert n.l2 <= n.l1 + 1e-12 <= np.sqrt(max(n.l0, 1)) * n.l2 + 1e-9  # ‖x‖₁ ≤ √L0 ‖x‖₂ (Cauchy–Schwarz)
