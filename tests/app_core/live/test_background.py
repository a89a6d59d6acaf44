import time

import pytest

from app_core.live.background import BackgroundRunner
from sae_core.data import ToyConfig, load_dataset
from app_core.live.run import LiveRun
from sae_core.training.presets import default_hparams


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


def test_pause_then_play_goes_on_from_where_it_stopped(run):
    runner = BackgroundRunner(run)
    runner.start()
    wait_until(lambda: run.steps > 10)
    runner.pause(wait=True)
    held = run.steps
    time.sleep(0.2)
    assert run.steps == held and not runner.running
    runner.start()
    wait_until(lambda: runner.running and run.steps > held + 20)


def test_replace_run_trains_the_new_run_and_leaves_the_old_one(run):
    runner = BackgroundRunner(run)
    runner.start()
    wait_until(lambda: run.steps > 10)
    hp, _ = default_hparams("relu", "toy")
    fresh = LiveRun(load_dataset("toy", toy=ToyConfig(n_samples=4000)), "relu", 32, hp)
    runner.replace_run(fresh)
    old_steps = run.steps
    runner.start(max_steps=40)
    wait_until(lambda: not runner.running)
    assert fresh.steps == 40 and run.steps == old_steps


def test_a_paused_runner_costs_no_thread_and_play_starts_again(run):
    runner = BackgroundRunner(run, idle_timeout=0.2)
    runner.start()
    wait_until(lambda: run.steps > 5)
    runner.pause(wait=True)
    wait_until(lambda: runner.scheduler.active() == 0, timeout=5)  # out of the workers' queue
    runner.start(max_steps=run.steps + 10)
    wait_until(lambda: not runner.running)
    assert runner.finished


def test_the_first_picture_after_play_shows_some_training_unless_the_job_is_an_animation(run):
    from app_core.live import background

    runner = BackgroundRunner(run)
    started = time.monotonic()
    runner.start()
    runner.wait_for_first_picture()
    waited = time.monotonic() - started
    shown = runner.snapshot()
    # The second snapshot: `snapshot_every` after the first chunk's
    assert runner.snapshot_every <= waited < background.FIRST_PICTURE_TIMEOUT_S
    assert runner._snapshot_step > runner.chunk and shown is runner._snapshot  # more than the first chunk, drawn
    assert runner.wait_for_first_picture() < 0.05  # a later redraw does not wait
    runner.close()

    class Animation:  # a paced job: its first chunk is its first frame
        steps_per_second = 100.0

        def __init__(self):
            self.steps = 0

        def train(self, n):
            self.steps += n

        def snapshot(self):
            return self.steps

    paced = BackgroundRunner(Animation())
    started = time.monotonic()
    paced.start()
    paced.wait_for_first_picture()
    assert time.monotonic() - started < paced.snapshot_every and paced.snapshot() == paced.chunk
    paced.close()


def test_the_wait_for_the_first_picture_ends_with_a_run_that_ends(run):
    runner = BackgroundRunner(run)
    runner.start(max_steps=3)  # less than a chunk: one snapshot, then it stops
    assert runner.wait_for_first_picture() < 1.0 and runner.finished and run.steps == 3
    run.hp.lr = float("inf")
    runner.start(max_steps=None)  # diverges at its first chunk
    assert runner.wait_for_first_picture() < 1.0 and runner.error
