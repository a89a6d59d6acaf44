import numpy as np
from sae_core.data import ToyConfig, load_dataset
from app_core.live.run import LiveRun
from sae_core.training.presets import default_hparams


def test_live_run_measures_snapshots_and_pins():
    hp, _ = default_hparams("relu", "toy")
    run = LiveRun(load_dataset("toy", toy=ToyConfig(n_samples=3000)), "relu", 64, hp)
    first = run.curve[-1]
    assert run.advance(budget_s=None, max_steps=120) == 120 and run.steps == 120
    snap = run.snapshot()
    assert snap.now.step == 120 and snap.now.mse < first.mse
    assert snap.x.shape == snap.x_hat.shape and snap.f.shape[1] == 64 and snap.decoder.shape == (64, 32)
    assert snap.matching.cosines.shape == (64, 64) and len(snap.matching.sims) == 64
    assert len(snap.matching.found) + len(snap.matching.missed) == 64
    assert snap.matching.mcc >= snap.matching.sims[snap.matching.sims == snap.matching.sims].mean() - 1e-9
    point = run.pin("L1=1")
    assert point.l0 == snap.now.l0 and run.pinned == [point]


def test_probes_cover_different_digits():
    hp, _ = default_hparams("relu", "images")
    run = LiveRun(load_dataset("digits"), "relu", 32, hp)
    assert len(set(run.data.labels[run.probe_idx])) == len(run.probe_idx)


def test_the_kl_model_reports_each_latents_firing_rate_and_others_none():
    import torch

    from sae_core.data import load_dataset as load
    from sae_core.training.presets import default_hparams as preset
    data = load("digits")
    run = LiveRun(data, "kl", 32, preset("kl", data.kind)[0])
    run.advance(budget_s=None, max_steps=20)
    rates = run.snapshot().firing_rates
    model = run.trainer.model
    x = torch.as_tensor(data.x[run.eval_idx] * run.trainer.input_scale, dtype=torch.float32,
                        device=run.trainer.device)
    with torch.no_grad():
        expected = torch.sigmoid(model.pre_acts(x)).mean(dim=0).cpu().numpy()  # ρ̂ⱼ: the mean sigmoid output
    assert rates.shape == (32,) and np.all((rates > 0) & (rates < 1))
    np.testing.assert_allclose(rates, expected, rtol=1e-4, atol=1e-6)
    assert LiveRun(data, "relu", 32, preset("relu", data.kind)[0]).snapshot().firing_rates is None
