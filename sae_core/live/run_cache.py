"""Runs trained ahead, shared by every visitor: a scene that shows a trained model resumes a copy at once.

A scene names a page state and a step count. The first request trains a copy of the page's fresh job that
far (once per process, whoever asks first; others wait for it rather than train it again) and keeps it; every
later request gets its own deep copy, so visitors never share a model that trains on. The dataset a job holds
is shared by the copies, not duplicated: it is read-only, and MNIST's is 15 MB.
"""

from __future__ import annotations

import copy
import threading
from typing import Callable, Hashable

from .job import LiveJob

TRAIN_CHUNK = 50  # steps between progress reports while a cached run is first trained


class RunCache:
    def __init__(self, max_runs: int = 32):
        self.max_runs = max_runs
        self._runs: dict[Hashable, LiveJob] = {}
        self._locks: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()

    @staticmethod
    def key(job: LiveJob, setup: Hashable, steps: int) -> tuple:
        """What identifies a run trained ahead: the job's kind, what it trains and its knobs, and how far."""
        return type(job).__name__, repr(setup), repr(getattr(job, "hp", None)), steps

    def __contains__(self, key: Hashable) -> bool:
        return key in self._runs

    def resume(self, key: Hashable, fresh: LiveJob, steps: int,
               progress: Callable[[int, int], None] | None = None) -> LiveJob:
        """A private copy of `fresh` (a job at step 0) trained `steps` steps, trained here if no one has yet."""
        with self._lock:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._runs:
                job = _copy(fresh)
                while job.steps < steps:
                    job.train(min(TRAIN_CHUNK, steps - job.steps))
                    if progress is not None:
                        progress(job.steps, steps)
                with self._lock:
                    if len(self._runs) >= self.max_runs:
                        self._runs.pop(next(iter(self._runs)))  # the oldest: a talk uses a handful
                    self._runs[key] = job
            return _copy(self._runs[key])


def _copy(job: LiveJob) -> LiveJob:
    """A deep copy that shares the job's read-only arrays (datasets) instead of copying them."""
    # By type name, not isinstance: importing numpy here would cost every page ~0.1 s before its first paint.
    memo = {id(value): value for value in vars(job).values() if type(value).__name__ in ("ndarray", "Dataset")}
    return copy.deepcopy(job, memo)
