import numpy as np
import pytest

from sae_core.evaluation.features import DENSITY_FLOOR, feature_stats, firing_values, top_activations

# 4 inputs, 3 latents: latent 0 fires on every input, latent 1 on one, latent 2 never.
F = np.array([[1.0, 0.0, 0.0], [2.0, 5.0, 0.0], [3.0, 0.0, 0.0], [0.5, 0.0, 0.0]], dtype=np.float32)
ACTIVE = F > 0


def test_feature_stats():
    stats = feature_stats(F, ACTIVE)
    np.testing.assert_allclose(stats.density, [1.0, 0.25, 0.0])
    np.testing.assert_allclose(stats.mean_when_firing, [1.625, 5.0, 0.0])
    assert stats.dead == 1 and stats.l0 == pytest.approx(1.25) and stats.median_density == 0.25
    assert stats.log_density[2] == DENSITY_FLOOR and stats.is_dead(2) and not stats.is_dead(1)
    counts, _ = stats.histogram
    assert counts.sum() == 3


def test_select_sorts_and_filters():
    stats = feature_stats(F, ACTIVE)
    assert stats.select("density", DENSITY_FLOOR, 0.0, False) == [0, 1, 2]
    assert stats.select("density_asc", DENSITY_FLOOR, 0.0, True) == [1, 0]
    assert stats.select("max", DENSITY_FLOOR, 0.0, False) == [1, 0, 2]
    assert stats.select("index", -1.0, 0.0, False) == [0, 1]
    with pytest.raises(ValueError):
        stats.select("random", DENSITY_FLOOR, 0.0, False)


def test_top_activations_and_firing_values():
    idx, values = top_activations(F, 0, n=2)
    assert list(idx) == [2, 1] and list(values) == [3.0, 2.0]
    assert len(top_activations(F, 2)[0]) == 0
    assert list(firing_values(F, ACTIVE, 1)) == [5.0]
