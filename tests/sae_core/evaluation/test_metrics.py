import numpy as np
import pytest

from sae_core.evaluation import metrics


def test_reconstruction_metrics_by_hand():
    x = np.array([[1.0, 0.0], [0.0, 2.0]])
    x_hat = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert metrics.mse(x, x_hat) == pytest.approx(0.25)
    assert metrics.mse_per_sample(x, x_hat) == pytest.approx(0.5)  # SAELens' convention: d × per dimension
    # variance about the mean (0.5, 1): total 0.5 + 2 = 2.5; error 1
    assert metrics.normalised_mse(x, x_hat) == pytest.approx(1 / 2.5)  # MSE / MSE of the mean predictor
    assert metrics.explained_variance(x, x_hat) == pytest.approx(1 - 1 / 2.5)
    assert metrics.shrinkage(x, x_hat) == pytest.approx((1 + 0.5) / 2)
    assert metrics.explained_variance(x, x) == pytest.approx(1.0)


def test_zero_samples_do_not_blow_up_ratios():
    x = np.array([[0.0, 0.0], [3.0, 4.0]])
    x_hat = np.array([[0.1, 0.0], [3.0, 4.0]])
    # the mean predictor's error is 12.5 here; a small-norm input does not dominate the ratio
    assert metrics.normalised_mse(x, x_hat) == pytest.approx(0.01 / 12.5)
    assert metrics.shrinkage(x, x_hat) == pytest.approx(1.0)


def test_sparsity_metrics_by_hand():
    active = np.array([[1, 0, 0, 1], [1, 0, 0, 0], [1, 1, 0, 0]], dtype=bool)
    assert metrics.l0(active) == pytest.approx(5 / 3)  # 2 + 1 + 2 active over 3 samples
    np.testing.assert_allclose(metrics.feature_density(active), [1, 1 / 3, 0, 1 / 3])
    assert metrics.dead_fraction(active) == pytest.approx(0.25)
    counts, edges = metrics.log_density_histogram(active, bins=6, floor=-6)
    assert counts.sum() == 4 and counts[0] == 1  # the dead latent sits at the floor
    assert edges[0] == -6 and edges[-1] == 0


def test_mmcs_and_hungarian():
    true = np.eye(3)
    dec = np.array([[0, 1, 0], [1, 0, 0], [0.6, 0, 0.8], [1, 0.01, 0]])  # duplicate of feature 0
    assert metrics.mmcs(true, dec) == pytest.approx((1 + 1 + 0.8) / 3)
    latent, sims = metrics.hungarian_matching(true, dec)
    assert set(latent) == {0, 1, 2} or set(latent) == {0, 2, 3}
    assert metrics.mcc(true, dec) == pytest.approx((1 + 1 + 0.8) / 3, abs=1e-3)
    # fewer latents than features: one is left unmatched and the mean uses matched ones only
    latent, sims = metrics.hungarian_matching(true, dec[:2])
    assert (latent == -1).sum() == 1 and np.isnan(sims).sum() == 1


def test_hungarian_survives_a_diverged_decoder():
    dec = np.array([[np.nan, np.nan], [1.0, 0.0]])
    latent, sims = metrics.hungarian_matching(np.eye(2), dec)
    assert latent[0] == 1 and sims[0] == pytest.approx(1.0)


def test_mcc_matches_on_absolute_cosine_and_mmcs_on_signed():
    true = np.eye(2)
    dec = np.array([[-1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])  # feature 0 learned with its sign flipped
    assert metrics.mcc(true, dec) == pytest.approx(1.0)
    assert metrics.mmcs(true, dec) == pytest.approx((0.6 + 1.0) / 2)
    latent, signed = metrics.hungarian_matching(true, dec)
    assert list(latent) == [2, 1] and list(signed) == pytest.approx([0.6, 1.0])
