import numpy as np
import pytest

from sae_core.superposition import reconstruct, train_toy_model


def angles(w: np.ndarray) -> np.ndarray:
    return np.degrees(np.arctan2(w[1], w[0]))


def test_sparse_features_sit_in_a_pentagon():
    w, b = train_toy_model(n_features=5, d_hidden=2, feature_probability=0.05)
    assert w.shape == (2, 5) and b.shape == (5,)
    assert np.all(np.linalg.norm(w, axis=0) > 0.8), "every feature is represented"
    ordered = np.sort(angles(w) % 360)
    gaps = np.diff(np.r_[ordered, ordered[0] + 360])
    assert np.all(np.abs(gaps - 72) < 10), gaps
    assert np.all(b < 0), "a negative bias filters the interference between features"


def test_dense_features_keep_the_two_most_important_orthogonal():
    w, _ = train_toy_model(n_features=5, d_hidden=2, feature_probability=1.0)
    norms = np.linalg.norm(w, axis=0)
    assert list(np.flatnonzero(norms > 0.5)) == [0, 1]
    gap = abs((angles(w)[0] - angles(w)[1] + 180) % 360 - 180)
    assert gap == pytest.approx(90, abs=10)


def test_reconstruct_and_validation():
    w, b = np.eye(2, 3), np.zeros(3)
    np.testing.assert_allclose(reconstruct(w, b, np.array([[0.5, 0.2, 0.9]])), [[0.5, 0.2, 0.0]])
    with pytest.raises(ValueError, match="probability"):
        train_toy_model(feature_probability=0.0, steps=1)
    with pytest.raises(ValueError, match="hidden"):
        train_toy_model(n_features=2, d_hidden=3, steps=1)
