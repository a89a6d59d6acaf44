"""The live-training controller: what pages press and the one thing they read."""

import time
from dataclasses import replace

import pytest

from sae_core.data import ToyConfig, load_dataset
from app_core.live import LiveController, RunSetup
from app_core.live.controller import MIN_STEPS_TO_PIN
from sae_core.training.presets import default_hparams

DATA = load_dataset("toy", toy=ToyConfig(n_samples=3000))
SETUP = RunSetup("toy", "relu", 64)


def tick_until(controller, condition, timeout=15.0):
    deadline = time.monotonic() + timeout
    while True:
        snap = controller.tick()
        if condition(snap):
            return snap
        assert time.monotonic() < deadline, f"timed out at {snap.status}, step {snap.now.step}"
        time.sleep(0.05)


@pytest.fixture
def controller():
    c = LiveController()
    c.configure(SETUP, DATA, default_hparams("relu", "toy")[0])
    yield c
    c.close()


def test_play_trains_in_the_background_and_pause_holds_the_numbers(controller):
    assert controller.snapshot().status == "paused" and controller.snapshot().now.step == 0
    controller.play()
    snap = tick_until(controller, lambda s: s.now.step > 20)
    assert snap.status == "training" and snap.steps_per_second > 0
    controller.pause()
    held = controller.snapshot().now.step
    time.sleep(0.3)
    assert controller.tick().now.step == held and controller.tick().status == "paused"


def test_step_and_reset(controller):
    controller.step(30)
    assert controller.snapshot().now.step == 30
    first = controller.snapshot().run_id
    controller.reset(SETUP, DATA, default_hparams("relu", "toy")[0])
    snap = controller.snapshot()
    assert snap.now.step == 0 and snap.run_id == first + 1 and snap.curve[-1].step == 0


def test_a_new_setup_starts_a_new_run_but_new_knobs_keep_it_and_pin(controller):
    hp = default_hparams("relu", "toy")[0]
    controller.step(MIN_STEPS_TO_PIN)
    controller.configure(SETUP, DATA, replace(hp, l1=3.0))
    snap = controller.snapshot()
    assert snap.now.step == MIN_STEPS_TO_PIN and snap.hp.l1 == 3.0
    assert [p.label for p in snap.pinned] == [f"L1={hp.l1:g}"]
    controller.configure(SETUP, DATA, replace(hp, l1=3.0, lr=1e-3))  # a learning rate is not a sparsity knob
    assert len(controller.snapshot().pinned) == 1 and controller.snapshot().hp.lr == 1e-3
    controller.configure(replace(SETUP, latents=32), DATA, hp)
    snap = controller.snapshot()
    assert snap.now.step == 0 and snap.latents == 32 and snap.pinned == ()


def test_too_early_to_pin_on_a_knob_change_but_pin_always_works(controller):
    hp = default_hparams("relu", "toy")[0]
    controller.step(10)
    controller.configure(SETUP, DATA, replace(hp, l1=0.5))
    assert controller.snapshot().pinned == ()
    controller.pin()
    assert [p.label for p in controller.snapshot().pinned] == ["L1=0.5"]


def test_a_target_finishes_the_run_and_stops_playing():
    c = LiveController()
    c.configure(replace(SETUP, target_steps=60), DATA, default_hparams("relu", "toy")[0])
    c.play()
    snap = tick_until(c, lambda s: s.status == "finished")
    assert snap.now.step == 60 and snap.progress == 1.0 and not c.playing and snap.seconds_left == 0
    c.close()


def test_divergence_is_reported_and_stops(controller):
    controller.configure(SETUP, DATA, replace(default_hparams("relu", "toy")[0], lr=float("inf")))
    controller.play()
    snap = tick_until(controller, lambda s: s.status == "failed")
    assert "learning rate" in snap.error and not controller.playing


def test_two_visitors_train_at_once_and_close_stops_one():
    first, second = LiveController(owner="a"), LiveController(owner="b")
    for c in (first, second):
        c.configure(SETUP, DATA, default_hparams("relu", "toy")[0])
        c.play()
    assert first.tick().status == "training" and second.tick().status == "training"
    assert tick_until(second, lambda s: s.now.step > 10).now.step > 10
    first.close()
    held = first.snapshot().now.step
    time.sleep(0.3)
    assert not first.playing and first.snapshot().now.step == held
    second.close()


def test_snapshots_are_copies_the_thread_does_not_touch(controller):
    controller.step(10)
    snap = controller.snapshot()
    curve = snap.curve
    controller.step(10)
    assert snap.curve is curve and snap.curve[-1].step == 10 and controller.snapshot().curve[-1].step == 20


def test_trained_model_is_a_copy(controller):
    controller.step(10)
    model = controller.trained_model("test").model
    before = model.W_dec.detach().clone()
    controller.step(20)
    assert (model.W_dec.detach() == before).all()


def test_nothing_to_read_before_a_run():
    with pytest.raises(RuntimeError, match="configure"):
        LiveController().tick()


@pytest.mark.slow  # waits on the clock
def test_a_dropped_connection_pauses_the_run_and_keeps_it():
    c = LiveController(owner="a")
    c.configure(SETUP, DATA, default_hparams("relu", "toy")[0])
    c.play()
    tick_until(c, lambda s: s.now.step > 10)
    c.release()
    assert not c.playing
    held = c.snapshot().now.step
    time.sleep(0.3)
    assert c.snapshot().now.step == held > 10  # the run is still there, paused
    c.play()
    assert tick_until(c, lambda s: s.now.step > held).status == "training"
    c.close()


def test_any_failure_of_the_training_thread_is_reported(controller, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(controller._run.trainer, "step", broken)
    controller.play()
    snap = tick_until(controller, lambda s: s.status == "failed")
    assert "RuntimeError: out of memory" in snap.error and not controller.playing


def test_the_download_is_built_once_per_state(controller):
    controller.step(5)
    first = controller.export_zip("sae")
    assert controller.export_zip("sae") is first
    controller.step(5)
    assert controller.export_zip("sae") is not first
