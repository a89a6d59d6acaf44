"""The controller with a job that is not an SAE run: the same buttons, heartbeat and pictures."""

import time
from dataclasses import dataclass

import pytest

from app_core.live import JobController, LiveStatus


@dataclass(frozen=True)
class CountSnapshot(LiveStatus):
    step: int


class Counter:
    """The smallest LiveJob: one step adds one."""

    def __init__(self, delay: float = 0.0):
        self.steps, self.delay = 0, delay

    def train(self, n: int) -> None:
        time.sleep(self.delay * n)
        self.steps += n

    def snapshot(self) -> CountSnapshot:
        return CountSnapshot(step=self.steps)


def tick_until(controller, condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not condition(snap := controller.tick()):
        assert time.monotonic() < deadline, f"timed out at {snap}"
        time.sleep(0.02)
    return snap


@pytest.fixture
def controller():
    c = JobController()
    yield c
    c.close()


def test_a_job_plays_to_its_target_and_stops(controller):
    assert controller.configure_job("a", lambda: Counter(0.001), target_steps=60)
    assert controller.snapshot() == CountSnapshot(step=0, status="paused", run_id=1, target_steps=60)
    controller.play()
    snap = tick_until(controller, lambda s: s.status == "finished")
    assert snap.step == 60 and not controller.playing


def test_the_same_setup_keeps_its_job_and_a_new_one_starts_over(controller):
    controller.configure_job("a", Counter)
    controller.step(7)
    assert not controller.configure_job("a", Counter) and controller.snapshot().step == 7
    assert controller.configure_job("b", Counter)
    snap = controller.snapshot()
    assert snap.step == 0 and snap.run_id == 2


def test_adjust_changes_the_job_between_chunks_and_is_pictured(controller):
    controller.configure_job("a", Counter)
    controller.step(3)
    assert controller.snapshot().step == 3

    def jump(job):
        job.steps = 100

    controller.adjust(jump)
    assert controller.snapshot().step == 100


@pytest.mark.slow  # waits on the clock
def test_every_played_job_trains_at_once_and_knows_how_many_share_the_machine():
    controllers = [JobController(owner=f"v{i}") for i in range(6)]  # more visitors than cores
    try:
        for c in controllers:
            c.configure_job("a", lambda: Counter(0.001))
            c.play()
        snaps = [c.tick() for c in controllers]  # each tick waits for its job's first picture, one after another
        assert all(s.status == "training" for s in snaps)  # nobody waits in line
        before = [c.tick().step for c in controllers]
        time.sleep(1.5)
        steps = [c.tick().step - b for c, b in zip(controllers, before)]
        assert min(steps) > 0 and min(steps) >= 0.4 * max(steps), steps  # each gets its share
        assert max(c.tick().training_now for c in controllers) == len(controllers)
        assert all(c.tick().measured_rate for c in controllers)
        controllers[0].release()
        assert controllers[0].snapshot().training_now == 0
    finally:
        for c in controllers:
            c.close()


def test_play_trains_at_once_and_the_first_redraw_shows_some_of_it(controller):
    controller.configure_job("a", lambda: Counter(0.001))
    controller.play()  # a button's callback: the page's script runs next, its live panel last
    time.sleep(0.2)
    assert controller._run.steps > 0  # trained while the page ran, before its first redraw
    snap = controller.tick()
    assert snap.step >= 100  # 0.4 s of training at ~1 ms a step, not the first chunk
    assert controller.picture_wait_s > 0.05  # what the redraw timer leaves out of the redraw's cost
    controller.tick()
    assert controller.picture_wait_s < 0.05


def test_a_failing_job_says_why(controller):
    class Broken(Counter):
        def train(self, n):
            raise FloatingPointError("the loss is NaN")

    controller.configure_job("a", Broken)
    controller.play()
    snap = tick_until(controller, lambda s: s.status == "failed")
    assert "NaN" in snap.error and not controller.playing
