import numpy as np
import pytest

from sae_core.divergence import GaussianMixture, fit_gaussian
from app_core.live.fit_live import FitRun, cached_landscape, loss_landscape
from sae_core.divergence.fitting import GaussianFit

TWO_MODES = GaussianMixture((0.5, 0.5), (-3.0, 3.0), (0.7, 0.7))


def test_the_live_fit_is_fit_gaussian_taken_in_chunks():
    run = FitRun(TWO_MODES, "js", (0.5, 2.0), steps_per_second=None)
    for n in (5, 5, 390):
        run.train(n)
    snap = run.snapshot()
    mu, sigma, path = fit_gaussian(TWO_MODES, "js", init=(0.5, 2.0))
    assert (snap.mu, snap.sigma, snap.step, snap.total_steps) == (mu, sigma, 400, 400)
    assert list(snap.path) == path and snap.loss > 0


@pytest.mark.parametrize("direction", ["forward", "reverse", "js"])
def test_the_landscape_agrees_with_the_fit_loss(direction):
    land = loss_landscape(TWO_MODES, direction, (-5, 5), (0.3, 5), points=(11, 7))
    for i in (0, 3, 6):
        for j in (0, 5, 10):
            fit = GaussianFit(TWO_MODES, direction, init=(land.mus[j], land.sigmas[i]))
            assert land.loss[i, j] == pytest.approx(fit.loss(), rel=2e-3, abs=1e-4)


def test_reverse_kl_has_two_basins_and_forward_kl_one():
    reverse = loss_landscape(TWO_MODES, "reverse", (-6, 6), (0.3, 6))
    forward = loss_landscape(TWO_MODES, "forward", (-6, 6), (0.3, 6))
    at_sigma = np.argmin(np.abs(reverse.sigmas - 0.7))
    row = reverse.loss[at_sigma]
    minima = [j for j in range(1, len(row) - 1) if row[j] < row[j - 1] and row[j] < row[j + 1]]
    assert sorted(round(float(reverse.mus[j])) for j in minima) == [-3, 3]
    i, j = np.unravel_index(np.argmin(forward.loss), forward.loss.shape)
    assert abs(forward.mus[j]) < 0.2 and forward.sigmas[i] == pytest.approx(TWO_MODES.sd(), rel=0.1)


def test_the_landscape_is_kept_per_target_and_direction():
    a = cached_landscape(TWO_MODES, "js", (-6.0, 6.0), (0.2, 6.0))
    assert cached_landscape(TWO_MODES, "js", (-6.0, 6.0), (0.2, 6.0)) is a
    assert cached_landscape(TWO_MODES, "forward", (-6.0, 6.0), (0.2, 6.0)) is not a
