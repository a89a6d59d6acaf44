"""Runs trained ahead, shared by every visitor: a scene that shows a trained model resumes a copy at once.

A scene names a page state and a step count. The first request trains a copy of the page's fresh job that
far (whoever asks first; others wait for it rather than train it again) and keeps it; every later request gets
its own deep copy, so visitors never share a model that trains on. The dataset a job holds is shared by the
copies, not duplicated: it is read-only, and MNIST's is 15 MB.

Given a folder, the cache also keeps each run there, for every process sharing the folder (replicas behind a
proxy, and the same server after a restart): a job that can save itself (`state_dict` / `load_state_dict`, as
an SAE run can) is trained once for all of them. The file holds tensors and plain values only and is read with
`torch.load(weights_only=True)`, which runs no code; a file that will not load, or does not continue the job it
is asked for, is trained afresh and replaced. A process training a run holds a lock on a file beside it, so
another one asking for the same run waits and then reads it.
"""

from __future__ import annotations

import copy
import fcntl
import hashlib
import os
import tempfile
import threading
from pathlib import Path
from typing import Callable, Hashable

from app_core.live.job import LiveJob

TRAIN_CHUNK = 50  # steps between progress reports while a cached run is first trained
FORMAT = 2  # of the files: a change to what a saved run holds changes every file's name (2: curves with history)


class RunCache:
    def __init__(self, max_runs: int = 32, directory: Path | str | None = None):
        self.max_runs = max_runs
        self.directory = Path(directory) if directory is not None else None
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
                job = self._trained(key, fresh, steps, progress)
                with self._lock:
                    if len(self._runs) >= self.max_runs:
                        self._runs.pop(next(iter(self._runs)))  # the oldest: a talk uses a handful
                    self._runs[key] = job
            return _copy(self._runs[key])

    def path(self, key: Hashable) -> Path | None:
        """The file that keeps `key`'s run (None without a folder)."""
        if self.directory is None:
            return None
        return self.directory / f"run-{hashlib.sha256(repr((FORMAT, key)).encode()).hexdigest()[:16]}.pt"

    def _trained(self, key: Hashable, fresh: LiveJob, steps: int, progress) -> LiveJob:
        path = self.path(key)
        if path is None or not hasattr(fresh, "state_dict"):
            return _train_copy(fresh, steps, progress)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            lock = open(path.with_suffix(".lock"), "w")
        except OSError:  # a folder this process cannot write to: the run is kept in memory only, as without one
            return _train_copy(fresh, steps, progress)
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another process training this run: wait for it, then read its file
            job = _read(path, fresh, steps)
            if job is None:
                job = _train_copy(fresh, steps, progress)
                try:
                    _write(path, job.state_dict())
                except OSError:  # a full disk: this process still has the run
                    pass
            return job


def _train_copy(fresh: LiveJob, steps: int, progress) -> LiveJob:
    job = _copy(fresh)
    # A job with a curve (an SAE run) records a point per chunk: a resumed run draws the history it was trained
    # through, not a straight line from step 0 to where it resumes.
    record = getattr(job, "measure", None)
    while job.steps < steps:
        job.train(min(TRAIN_CHUNK, steps - job.steps))
        if record is not None:
            record()
        if progress is not None:
            progress(job.steps, steps)
    return job


def _read(path: Path, fresh: LiveJob, steps: int) -> LiveJob | None:
    """A copy of `fresh` continued from the file, or None where there is none that fits."""
    if not path.exists():
        return None
    import torch  # only where a run is resumed: a page that never trains never loads it

    try:
        job = _copy(fresh)
        job.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    except Exception:  # damaged, foreign or from another version of a job: train afresh and replace it
        return None
    return job if job.steps == steps else None


def _write(path: Path, state: dict) -> None:
    import torch

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.stem, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            torch.save(state, f)
        os.replace(tmp, path)  # readers see the whole file or none
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _copy(job: LiveJob) -> LiveJob:
    """A deep copy that shares the job's read-only arrays (datasets) instead of copying them."""
    # By type name, not isinstance: importing numpy here would cost every page ~0.1 s before its first paint.
    memo = {id(value): value for value in vars(job).values() if type(value).__name__ in ("ndarray", "Dataset")}
    return copy.deepcopy(job, memo)
