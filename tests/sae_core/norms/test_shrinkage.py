"""Soft-thresholding and its one-sided ReLU version: exact zeros within λ, shrinkage by λ beyond it, and each
is the minimiser it claims to be."""

import numpy as np
import pytest

from sae_core.norms.shrinkage import relu_shrink, shrink, soft_threshold

Z = np.linspace(-3, 3, 121)


def test_soft_threshold_known_values():
    assert soft_threshold([2.0, -1.5, 0.3, 0.0, -0.2, 1.0], 0.5).tolist() == [1.5, -1.0, 0.0, 0.0, 0.0, 0.5]
    assert soft_threshold([0.5, -0.5], 0.5).tolist() == [0.0, 0.0]


def test_inside_lambda_is_exactly_zero_and_outside_is_shrunk_by_lambda():
    for lam in (0.0, 0.3, 1.0, 2.5):
        out = soft_threshold(Z, lam)
        inside = np.abs(Z) <= lam
        assert np.all(out[inside] == 0.0)
        assert np.allclose(np.abs(out[~inside]), np.abs(Z[~inside]) - lam)
        assert np.all(np.sign(out[~inside]) == np.sign(Z[~inside]))
        assert np.allclose(soft_threshold(-Z, lam), -out)  # odd


def test_lambda_zero_is_the_identity_and_larger_lambda_never_adds_a_nonzero():
    assert np.array_equal(soft_threshold(Z, 0.0), Z)
    counts = [np.count_nonzero(soft_threshold(Z, lam)) for lam in np.linspace(0, 3, 31)]
    assert counts == sorted(counts, reverse=True)


def test_each_is_the_minimiser_of_its_penalised_problem():
    f = np.linspace(-4, 4, 80_001)  # grid spacing 1e-4
    for z in (-2.2, -0.4, 0.0, 0.35, 1.7):
        for lam in (0.25, 0.5, 1.2):
            two_sided = f[np.argmin(0.5 * (f - z) ** 2 + lam * np.abs(f))]
            assert soft_threshold(z, lam) == pytest.approx(two_sided, abs=2e-4)
            g = f[f >= 0]
            one_sided = g[np.argmin(0.5 * (g - z) ** 2 + lam * g)]
            assert relu_shrink(z, lam) == pytest.approx(one_sided, abs=2e-4)


def test_relu_shrink_is_a_relu_with_its_bias_lowered_by_lambda():
    rng = np.random.default_rng(1)
    W, b, x = rng.normal(size=(8, 5)), rng.normal(size=8), rng.normal(size=(20, 5))
    for lam in (0.0, 0.4, 1.5):
        pre = x @ W.T + b
        assert np.allclose(relu_shrink(pre, lam), np.maximum(x @ W.T + (b - lam), 0.0))
    assert np.array_equal(relu_shrink(Z, 0.7), np.where(Z > 0, soft_threshold(Z, 0.7), 0.0))


def test_shrink_dispatches_and_refuses_bad_input():
    assert np.array_equal(shrink(Z, 0.5, "soft"), soft_threshold(Z, 0.5))
    assert np.array_equal(shrink(Z, 0.5, "relu"), relu_shrink(Z, 0.5))
    with pytest.raises(ValueError, match="unknown shrinkage"):
        shrink(Z, 0.5, "hard")
    with pytest.raises(ValueError, match="non-negative"):
        soft_threshold(Z, -0.1)
    with pytest.raises(ValueError, match="non-negative"):
        relu_shrink(Z, -0.1)
