"""Fair sharing of the machine among every played job: a fixed set of worker threads takes turns over them.

A room of visitors pressing Play must all train at once, not queue for a core. Every played job is put in one
queue; a worker takes the job whose turn is due, trains it for a short time slice, and puts it back.
With n jobs, each gets about 1/n of the workers' time, whatever its size, and a job whose page has gone stops
being put back (its runner's idle check). An animation held to a pace (`steps_per_second`) is put back with the
time of its next frame, so its waiting costs no worker anything. Background work (frontiers, the runs scenes
resume) takes turns in the same round (`background.BackgroundShare`), so it advances beside a room that trains,
and is not counted among the visitors' runs.
"""

from __future__ import annotations

import heapq
import itertools
import os
import threading
import time
from typing import Protocol

# A turn is long enough that switching jobs costs little (a chunk of a small SAE is 1–10 ms) and short enough
# that twenty jobs all advance within half a second.
SLICE_S = 0.02
# One worker per process unless an operator sets more: each worker's Python holds the interpreter lock the visitors'
# pages need (two starved a room in the load benchmark: BENCHMARKS.md, "Why the constants…"); more cores are used
# by more processes (`make serve REPLICAS=N`).
WORKERS_ENV = "SAE_PLAYGROUND_TRAINERS"


class Turnable(Protocol):
    def take_turn(self, slice_s: float) -> float | None:
        """Train for about `slice_s`; return when the next turn is due (time.monotonic()), or None when done."""

    def wants_turns(self) -> bool:
        """Whether it is played now (asked again after a turn returned None: Play may have come in between)."""


class FairScheduler:
    def __init__(self, workers: int | None = None, slice_s: float = SLICE_S):
        self.workers = max(1, workers or int(os.environ.get(WORKERS_ENV, 0) or 0) or 1)
        self.slice_s = slice_s
        self._heap: list[tuple[float, int, Turnable]] = []
        self._queued: set[int] = set()  # ids of jobs in the heap or in a worker's hands: each is there once
        self._background: set[int] = set()  # those of them that are background work's turns, not visitors' runs
        self._order = itertools.count()
        self._cond = threading.Condition()
        self._closed = False
        self._threads: list[threading.Thread] = []

    def submit(self, job: Turnable, at: float | None = None) -> None:
        """Give `job` turns from `at` (time.monotonic(); default now) until its turn returns None. Submitting a
        queued job does nothing. A job with a true `background` attribute is not counted by `active()`."""
        with self._cond:
            if self._closed or id(job) in self._queued:
                return
            self._queued.add(id(job))
            if getattr(job, "background", False):
                self._background.add(id(job))
            heapq.heappush(self._heap, (time.monotonic() if at is None else at, next(self._order), job))
            self._start_workers()
            self._cond.notify()

    def active(self) -> int:
        """How many visitors' jobs are training now (queued or in a worker's hands)."""
        with self._cond:
            return len(self._queued) - len(self._background)

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self, timeout: float = 5.0) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(timeout)

    def _start_workers(self) -> None:
        if not self._threads:  # lazily: a process that never trains never starts them
            for i in range(self.workers):
                thread = threading.Thread(target=self._work, name=f"sae-trainer-{i}", daemon=True)
                thread.start()
                self._threads.append(thread)

    def _work(self) -> None:
        while True:
            with self._cond:
                while True:
                    if self._closed:
                        return
                    if self._heap:
                        due = self._heap[0][0] - time.monotonic()
                        if due <= 0:
                            _, _, job = heapq.heappop(self._heap)
                            break
                        self._cond.wait(due)
                    else:
                        self._cond.wait()
            try:
                again = job.take_turn(self.slice_s)
            except Exception:  # a job reports its own failures; one that escapes must not kill a worker
                again = None
            with self._cond:
                if again is None and not self._closed and job.wants_turns():
                    again = time.monotonic()  # paused and played again while its turn ran
                if again is None or self._closed:
                    self._queued.discard(id(job))
                    self._background.discard(id(job))
                else:
                    heapq.heappush(self._heap, (again, next(self._order), job))
                    self._cond.notify()
