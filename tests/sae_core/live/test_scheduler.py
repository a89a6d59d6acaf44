"""The workers share their time fairly among played jobs, however big each job's steps are."""

import os
import threading
import time

from sae_core.live.scheduler import FairScheduler


class Job:
    """Trains in steps that each cost `cost` seconds; records the time it was given."""

    def __init__(self, cost: float, pace: float | None = None):
        self.cost, self.pace, self.busy, self.turns, self.wanted = cost, pace, 0.0, 0, True

    def wants_turns(self) -> bool:
        return self.wanted

    def take_turn(self, slice_s: float) -> float | None:
        if not self.wanted:
            return None
        start = time.perf_counter()
        while time.perf_counter() - start < slice_s:
            time.sleep(self.cost)
            if self.pace:
                break
        self.busy += time.perf_counter() - start
        self.turns += 1
        return time.monotonic() + (self.pace or 0.0)


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


def test_background_work_waits_while_a_visitor_trains_and_not_longer_than_its_cap(monkeypatch):
    from sae_core.live import background

    scheduler = FairScheduler(workers=1)
    monkeypatch.setattr(background, "_scheduler", scheduler)
    started = time.monotonic()
    background.wait_while_visitors_train(max_wait_s=5.0)
    assert time.monotonic() - started < 0.1  # nobody trains: no wait

    job = Job(cost=0.001)
    scheduler.submit(job)
    threading.Timer(0.6, lambda: setattr(job, "wanted", False)).start()  # the visitor pauses
    started = time.monotonic()
    background.wait_while_visitors_train(max_wait_s=5.0, poll_s=0.05)
    assert 0.5 < time.monotonic() - started < 2.0

    forever = Job(cost=0.001)  # a tab left playing
    scheduler.submit(forever)
    started = time.monotonic()
    background.wait_while_visitors_train(max_wait_s=0.4, poll_s=0.05)
    assert 0.35 < time.monotonic() - started < 1.5
    forever.wanted = False
    scheduler.close()


def test_an_operator_sets_the_number_of_training_workers(monkeypatch):
    monkeypatch.setenv("SAE_PLAYGROUND_TRAINERS", "1")
    assert FairScheduler().workers == 1
    assert FairScheduler(workers=3).workers == 3  # an explicit count wins
    monkeypatch.delenv("SAE_PLAYGROUND_TRAINERS")
    assert FairScheduler().workers == 1  # one per process: more cores are more replicas
