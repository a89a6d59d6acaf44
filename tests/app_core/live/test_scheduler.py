"""The workers share their time fairly among played jobs, however big each job's steps are."""

import os
import threading
import time

import pytest

from app_core.live.scheduler import FairScheduler


class Job:
    """Trains in steps that each cost `cost` seconds; records the time it was given."""

    def __init__(self, cost: float, pace: float | None = None):
        self.cost, self.pace, self.busy, self.turns, self.wanted = cost, pace, 0.0, 0, True
        self.in_turn = False

    def wants_turns(self) -> bool:
        return self.wanted

    def take_turn(self, slice_s: float) -> float | None:
        if not self.wanted:
            return None
        self.in_turn = True
        start = time.perf_counter()
        while time.perf_counter() - start < slice_s:
            time.sleep(self.cost)
            if self.pace:
                break
        self.busy += time.perf_counter() - start
        self.in_turn = False
        self.turns += 1
        return time.monotonic() + (self.pace or 0.0)


@pytest.mark.slow  # waits on the clock
def test_big_and_small_jobs_get_about_equal_time():
    scheduler = FairScheduler(workers=1, slice_s=0.02)
    big, small = Job(0.01), Job(0.0005)
    scheduler.submit(big)
    scheduler.submit(small)
    time.sleep(1.2)
    big.wanted = small.wanted = False
    time.sleep(0.1)
    scheduler.close()
    assert 0.6 < big.busy / small.busy < 1.6, (big.busy, small.busy)


@pytest.mark.slow  # waits on the clock
def test_many_jobs_on_few_workers_all_advance():
    scheduler = FairScheduler(workers=2, slice_s=0.01)
    jobs = [Job(0.002) for _ in range(12)]
    for job in jobs:
        scheduler.submit(job)
    assert scheduler.active() == 12
    time.sleep(1.0)
    turns = [job.turns for job in jobs]
    for job in jobs:
        job.wanted = False
    time.sleep(0.1)
    assert scheduler.active() == 0
    scheduler.close()
    assert min(turns) >= 0.5 * max(turns) and min(turns) > 3, turns


@pytest.mark.slow  # waits on the clock
def test_a_paced_job_waits_for_its_frame_without_holding_a_worker():
    scheduler = FairScheduler(workers=1, slice_s=0.02)
    paced, busy = Job(0.001, pace=0.2), Job(0.002)
    scheduler.submit(paced)
    scheduler.submit(busy)
    time.sleep(1.0)
    paced.wanted = busy.wanted = False
    time.sleep(0.25)
    scheduler.close()
    assert 3 <= paced.turns <= 7  # about one turn per 0.2 s frame
    assert busy.busy > 0.8  # the worker trained the other job while the paced one waited


def test_a_job_played_again_while_its_last_turn_ran_keeps_training():
    scheduler = FairScheduler(workers=1, slice_s=0.01)
    job = Job(0.001)
    job.wanted = False
    gate = threading.Event()
    original = job.take_turn

    def turn(slice_s):
        result = original(slice_s)  # returns None: not wanted
        job.wanted = True  # ... but Play came in meanwhile; submit finds it still queued
        scheduler.submit(job)
        gate.set()
        return result

    job.take_turn = turn
    scheduler.submit(job)
    gate.wait(2)
    job.take_turn = original
    time.sleep(0.2)
    assert job.turns > 3
    job.wanted = False
    scheduler.close()


class Background:
    """A background thread doing `stretch`-second pieces of work between `share.pause()` calls, as a frontier
    sweep does; it notes any piece that began while a visitor's turn was running."""

    def __init__(self, share, stretch: float, visitor: "Job"):
        self.share, self.stretch, self.visitor = share, stretch, visitor
        self.pieces, self.busy, self.overlaps, self.stop = 0, 0.0, 0, False
        self.thread = threading.Thread(target=self.work, daemon=True)

    def work(self):
        while not self.stop:
            self.share.pause()
            self.overlaps += self.visitor.in_turn
            start = time.perf_counter()
            time.sleep(self.stretch)
            self.busy += time.perf_counter() - start
            self.pieces += 1
        self.share.release()


def _until(condition, limit_s=20.0):
    deadline = time.monotonic() + limit_s
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)


@pytest.mark.slow  # waits on the clock
def test_background_work_takes_turns_beside_a_run_that_plays_on():
    from app_core.live.background import BackgroundShare

    scheduler = FairScheduler(workers=1, slice_s=0.02)
    visitor = Job(cost=0.002)  # a tab left playing
    scheduler.submit(visitor)
    share = BackgroundShare(lambda: scheduler)
    background = Background(share, stretch=0.005, visitor=visitor)
    background.thread.start()
    counted = set()  # what active() said all along: the background's turns must never count as a visitor's run
    _until(lambda: counted.add(scheduler.active()) or visitor.turns >= 60)
    background.stop = True
    background.thread.join(5)
    visitor.wanted = False
    scheduler.close()
    assert visitor.turns >= 60 and background.pieces >= 30  # one turn each per round, about
    assert share.turns >= 30 and share.sharing_with == 1 and share.free == 0
    assert background.overlaps == 0  # never on the interpreter beside the visitor's turn
    assert counted == {1}


@pytest.mark.slow  # waits on the clock
def test_a_long_stretch_of_background_work_waits_longer_for_its_next_turn():
    from app_core.live.background import BackgroundShare

    scheduler = FairScheduler(workers=1, slice_s=0.02)
    visitor = Job(cost=0.002)
    scheduler.submit(visitor)
    background = Background(BackgroundShare(lambda: scheduler), stretch=0.08, visitor=visitor)  # 4 slices
    background.thread.start()
    _until(lambda: background.pieces >= 12)
    background.stop = True
    background.thread.join(5)
    visitor.wanted = False
    scheduler.close()
    assert 0.5 < background.busy / visitor.busy < 2.0, (background.busy, visitor.busy)  # not 4:1


def test_background_work_goes_on_at_once_while_nobody_trains():
    from app_core.live.background import BackgroundShare

    scheduler = FairScheduler(workers=1)
    share = BackgroundShare(lambda: scheduler)
    for _ in range(5):
        share.pause()
    assert share.free == 5 and share.turns == 0 and share.sharing_with == 0
    assert not scheduler._threads  # nothing was queued: no worker was even started


def test_an_operator_sets_the_number_of_training_workers(monkeypatch):
    monkeypatch.setenv("SAE_PLAYGROUND_TRAINERS", "1")
    assert FairScheduler().workers == 1
    assert FairScheduler(workers=3).workers == 3  # an explicit count wins
    monkeypatch.delenv("SAE_PLAYGROUND_TRAINERS")
    assert FairScheduler().workers == 1  # one per process: more cores are more replicas
