import time

import pytest

from sae_core.background import BackgroundRunner
from sae_core.data import ToyConfig, load_dataset
from sae_core.live import LiveRun
from sae_core.presets import default_hparams


@pytest.fixture
def run():
    hp, _ = default_hparams("relu", "toy")
    return LiveRun(load_dataset("toy", toy=ToyConfig(n_samples=4000)), "relu", 64, hp)


def wait_until(cond, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_runs_until_max_steps_then_stops(run):
    runner = BackgroundRunner(run)
    runner.start(max_steps=200)
    wait_until(lambda: not runner.running)
    assert run.steps == 200 and runner.finished


def test_pause_stops_training_and_measure_is_safe(run):
    runner = BackgroundRunner(run)
    runner.start()
    wait_until(lambda: run.steps > 20)
    with runner.lock:
        run.measure()
    runner.pause(wait=True)
    steps = run.steps
    time.sleep(0.2)
    assert run.steps == steps and not runner.running


def test_stops_by_itself_when_nobody_watches(run):
    runner = BackgroundRunner(run, idle_timeout=0.3)
    runner.start()
    wait_until(lambda: not runner.running, timeout=5)
    assert run.steps > 0


def test_step_now_and_divergence_reporting(run):
    runner = BackgroundRunner(run)
    runner.step_now(30)
    assert run.steps == 30
    run.hp.lr = float("inf")
    runner.start()
    wait_until(lambda: not runner.running)
    assert "learning rate" in runner.error
