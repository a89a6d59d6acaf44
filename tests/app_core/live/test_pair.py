import numpy as np

from sae_core.data import load_dataset
from app_core.live.pair import PairRun
from sae_core.models.relu import L1
from app_core.state.autoencoders import L1_VALUES

DIGITS = load_dataset("digits")


def test_both_models_train_step_for_step_and_are_pictured_on_the_same_inputs():
    run = PairRun(DIGITS, width=8, l1=1.0, sparse_latents=128, probes=4)
    start = run.snapshot()
    run.train(60)
    snap = run.snapshot()
    assert snap.step == 60 and snap.names == ("digit 0", "digit 1", "digit 2", "digit 3")
    for before, after, latents in ((start.bottleneck, snap.bottleneck, 8), (start.sparse, snap.sparse, 128)):
        assert after.f.shape == (4, latents) and after.x_hat.shape == snap.x.shape == (4, 64)
        assert after.now.fve > before.now.fve
    assert snap.sparse.now.l0 / 128 < snap.bottleneck.now.l0 / 8  # short and dense vs long and mostly zero
    assert len(snap.bottleneck.atoms) == 8 and len(snap.sparse.atoms) == 32


def test_l1_moves_mid_run_and_says_whether_it_moved():
    run = PairRun(DIGITS, width=8, l1=0.1, sparse_latents=64)
    run.train(40)
    loose = run.snapshot().sparse.now.l0
    assert run.set_l1(10.0) and not run.set_l1(10.0)
    run.train(80)
    assert run.snapshot().sparse.now.l0 < loose and run.steps == 120


def test_the_page_offers_lambdas_of_the_relu_model():
    assert set(L1_VALUES) <= set(L1.values) and 1.0 in L1_VALUES
    assert np.all(np.diff(L1_VALUES) > 0)


def test_a_new_width_starts_the_bottleneck_alone_afresh():
    run = PairRun(DIGITS, width=8, l1=1.0, sparse_latents=64)
    run.train(30)
    sparse, before = run.sparse, run.snapshot()
    assert run.set_width(12) and not run.set_width(12)
    snap = run.snapshot()
    assert run.sparse is sparse and snap.sparse is before.sparse  # not retrained, not even pictured again
    assert (snap.step, snap.sparse.step, snap.bottleneck.step, snap.bottleneck.latents) == (30, 30, 0, 12)
    run.train(10)
    snap = run.snapshot()
    assert (snap.sparse.step, snap.bottleneck.step) == (40, 10) and snap.bottleneck.f.shape[1] == 12


def test_a_new_lambda_touches_the_sparse_model_alone():
    run = PairRun(DIGITS, width=8, l1=1.0, sparse_latents=64)
    run.train(20)
    bottleneck, before = run.bottleneck, run.snapshot()
    assert run.set_l1(5.0)
    snap = run.snapshot()
    assert run.bottleneck is bottleneck and snap.bottleneck is before.bottleneck  # its picture is not retaken
    assert snap.sparse is not before.sparse and snap.l1 == 5.0
