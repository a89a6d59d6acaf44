import math

import numpy as np
import pytest

from sae_core.divergence import Density, GaussianFit, GaussianMixture, fit_gaussian

TWO_MODES = GaussianMixture((0.5, 0.5), (-3.0, 3.0), (0.7, 0.7))


def test_mixture_behaves_like_a_density():
    lo, hi = TWO_MODES.support()
    x = np.linspace(lo, hi, 20001)
    assert np.trapezoid(TWO_MODES.pdf(x), x) == pytest.approx(1.0, abs=1e-6)
    assert TWO_MODES.mean() == pytest.approx(0.0) and TWO_MODES.sd() == pytest.approx(math.sqrt(0.49 + 9))
    assert GaussianMixture((2, 2), (0, 0), (1, 1)).weights == (0.5, 0.5)
    with pytest.raises(ValueError):
        GaussianMixture((1,), (0, 1), (1, 1))
    with pytest.raises(ValueError):
        GaussianMixture((1,), (0,), (0,))


@pytest.mark.parametrize("target", [TWO_MODES, Density("laplace", 1.0, 2.0), Density("mixture", -0.5, 1.5)])
def test_forward_kl_fit_is_moment_matching(target):
    lo, hi = target.support()
    x = np.linspace(lo, hi, 200001)
    p = target.pdf(x)
    mean = np.trapezoid(p * x, x)
    sd = math.sqrt(np.trapezoid(p * (x - mean) ** 2, x))
    mu, sigma, path = fit_gaussian(target, "forward", init=(0.5, 1.0))
    assert mu == pytest.approx(mean, abs=1e-3) and sigma == pytest.approx(sd, abs=1e-3)
    assert path[0] == (0.5, 1.0) and len(path) == 401


@pytest.mark.parametrize("start,mode", [(1.0, 3.0), (-0.5, -3.0)])
def test_reverse_kl_locks_onto_the_mode_it_starts_nearest(start, mode):
    mu, sigma, _ = fit_gaussian(TWO_MODES, "reverse", init=(start, 1.0))
    assert mu == pytest.approx(mode, abs=0.05) and sigma == pytest.approx(0.7, abs=0.05)


def test_js_stays_finite_and_moves():
    mu, sigma, path = fit_gaussian(TWO_MODES, "js", init=(1.0, 1.0), steps=50)
    assert len(path) == 51 and all(math.isfinite(m) and s > 0 for m, s in path)
    assert path[-1] != path[0]


def test_bad_requests_are_refused():
    with pytest.raises(ValueError, match="direction"):
        fit_gaussian(TWO_MODES, "sideways")
    with pytest.raises(ValueError, match="positive"):
        fit_gaussian(TWO_MODES, "forward", init=(0.0, -1.0))


@pytest.mark.parametrize("direction", ["forward", "reverse", "js"])
@pytest.mark.parametrize("start", [(1.0, 1.0), (-2.0, 0.4), (0.3, 3.0)])
def test_written_out_gradient_matches_finite_differences(direction, start):
    fit = GaussianFit(TWO_MODES, direction, init=start)
    grad, eps, numeric = fit.gradient(), 1e-6, []
    for i in range(2):
        theta = fit.theta.copy()
        fit.theta = theta + eps * np.eye(2)[i]
        up = fit.loss()
        fit.theta = theta - eps * np.eye(2)[i]
        down = fit.loss()
        fit.theta = theta
        numeric.append((up - down) / (2 * eps))
    np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-7)


def test_a_fit_taken_in_pieces_is_the_fit_taken_at_once():
    whole = fit_gaussian(TWO_MODES, "reverse", init=(0.4, 1.5), steps=120)
    fit = GaussianFit(TWO_MODES, "reverse", init=(0.4, 1.5), steps=120)
    for n in (1, 19, 100):
        fit.step(n)
    assert fit.path == whole[2] and fit.loss() < GaussianFit(TWO_MODES, "reverse", init=(0.4, 1.5)).loss()


@pytest.mark.parametrize("start", [(-6.0, 0.3), (6.0, 1.0), (-3.0, 4.0), (0.5, 0.3)])
def test_forward_kl_reaches_moment_matching_from_far_starts(start):
    mu, sigma, _ = fit_gaussian(TWO_MODES, "forward", init=start)
    assert mu == pytest.approx(TWO_MODES.mean(), abs=1e-3) and sigma == pytest.approx(TWO_MODES.sd(), abs=1e-3)


@pytest.mark.parametrize("start", [(-6.0, 0.3), (6.0, 0.3)])
def test_forward_kl_reaches_moment_matching_on_an_unequal_wide_target(start):
    lopsided = GaussianMixture((0.1, 0.9), (-4.0, 4.0), (0.3, 0.3))
    mu, sigma, _ = fit_gaussian(lopsided, "forward", init=start)
    assert mu == pytest.approx(lopsided.mean(), abs=1e-3) and sigma == pytest.approx(lopsided.sd(), abs=1e-3)
