import numpy as np
import pytest

from sae_core.data import ToyConfig, load_dataset
from sae_core.training.frontier import SETTINGS, compute_frontier, planned_runs

pytestmark = pytest.mark.slow  # trains a whole frontier sweep


def test_frontier_points_trade_sparsity_for_error():
    data = load_dataset("toy", toy=ToyConfig(n_features=16, d=8, n_samples=2000))
    seen = []
    points = compute_frontier(data, 16, 3.0, progress=lambda done, total, what: seen.append(done))
    assert seen[-1] == planned_runs() and len(points) == sum(len(v) for _, v in SETTINGS.values()) + 4
    relu = sorted((p for p in points if p.method == "relu"), key=lambda p: p.setting)
    by_l1 = {p.setting: p for p in relu}
    assert by_l1["l1 = 3"].l0 < by_l1["l1 = 0.1"].l0 and by_l1["l1 = 3"].mse > by_l1["l1 = 0.1"].mse
    dictionary = [p for p in points if p.method == "dictionary"]
    assert np.all(np.diff([p.mse for p in dictionary]) <= 1e-9)  # more non-zeros, less error


def test_pausing_between_stretches_changes_no_point(monkeypatch):
    from sae_core.training import frontier

    monkeypatch.setattr(frontier, "PAUSE_EVERY_STEPS", 5)
    data = load_dataset("toy", toy=ToyConfig(n_features=16, d=8, n_samples=2000))
    pauses = []
    paused = compute_frontier(data, 16, 2.0, include_dictionary=False, pause=lambda: pauses.append(1))
    plain = compute_frontier(data, 16, 2.0, include_dictionary=False)
    assert len(pauses) > len(plain)  # several stretches per run
    assert paused == plain
