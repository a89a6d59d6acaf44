import numpy as np

from sae_core.data import ToyConfig, load_dataset
from sae_core.frontier import SETTINGS, compute_frontier, planned_runs
from sae_core.live import LiveRun
from sae_core.presets import default_hparams


def test_live_run_measures_views_and_pins():
    hp, _ = default_hparams("relu", "toy")
    run = LiveRun(load_dataset("toy", toy=ToyConfig(n_samples=3000)), "relu", 64, hp)
    first = run.curve[-1]
    assert run.advance(budget_s=None, max_steps=120) == 120 and run.steps == 120
    view = run.view()
    assert view.now.step == 120 and view.now.mse < first.mse
    assert view.x.shape == view.x_hat.shape and view.f.shape[1] == 64 and view.decoder.shape == (64, 32)
    cos, sims, latent = view.matched
    assert cos.shape == (64, 64) and len(sims) == 64
    point = run.pin("L1=1")
    assert point.l0 == view.now.l0 and run.pinned == [point]


def test_probes_cover_different_digits():
    hp, _ = default_hparams("relu", "images")
    run = LiveRun(load_dataset("digits"), "relu", 32, hp)
    assert len(set(run.data.labels[run.probe_idx])) == len(run.probe_idx)


def test_frontier_points_trade_sparsity_for_error():
    data = load_dataset("toy", toy=ToyConfig(n_features=16, d=8, n_samples=2000))
    seen = []
    points = compute_frontier(data, 16, 3.0, "toy", progress=lambda done, total, what: seen.append(done))
    assert seen[-1] == planned_runs() and len(points) == sum(len(v) for _, v in SETTINGS.values()) + 4
    relu = sorted((p for p in points if p.method == "relu"), key=lambda p: p.setting)
    by_l1 = {p.setting: p for p in relu}
    assert by_l1["l1 = 3"].l0 < by_l1["l1 = 0.1"].l0 and by_l1["l1 = 3"].mse > by_l1["l1 = 0.1"].mse
    dictionary = [p for p in points if p.method == "dictionary"]
    assert np.all(np.diff([p.mse for p in dictionary]) <= 1e-9)  # more non-zeros, less error
