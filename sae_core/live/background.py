"""Train a live job (a `LiveRun` or any `LiveJob`) on a background thread while a page only reads snapshots.

The page's timer touches the runner on every redraw; a runner whose page has gone quiet (a closed tab)
stops by itself after `idle_timeout` seconds, so no thread outlives its visitor for long. All access to
the model goes through `lock`, held for one short chunk of steps at a time.

Pause does not end the thread: it waits, and Play wakes it; Reset hands it a new run (`replace_run`).
So a session has at most one training thread however often it presses Play and Reset, and that thread
ends once it has been idle for `idle_timeout` seconds.
"""

from __future__ import annotations

import atexit
import threading
import time
import weakref

from .job import LiveJob, LiveStatus


_RUNNERS: weakref.WeakSet[BackgroundRunner] = weakref.WeakSet()


@atexit.register
def close_all() -> None:
    """End every training thread. Also runs at exit: a thread still alive (paused, waiting) then
    makes torch's OpenMP runtime abort the process ("terminate called without an active exception")."""
    for runner in list(_RUNNERS):
        runner.close()


class BackgroundRunner:
    """`snapshot` is refreshed by the training thread every `snapshot_every` seconds: a page reads it
    without running any torch code itself, which on a 2-core machine would start yet another OpenMP
    team competing with training."""

    def __init__(self, run: LiveJob, chunk: int = 5, idle_timeout: float = 15.0, snapshot_every: float = 0.4):
        self.run = run
        self.chunk = chunk
        self.idle_timeout = idle_timeout
        self.snapshot_every = snapshot_every
        self._snapshot: LiveStatus | None = None
        self._snapshot_step = -1  # the job's step count when `_snapshot` was taken
        self._snapshot_at = 0.0
        self.lock = threading.Lock()
        self.error: str | None = None
        self.max_steps: int | None = None
        self._wanted = False
        self._wake = threading.Event()
        self._life = threading.Lock()  # orders a thread's exit against start() reviving it
        self._thread: threading.Thread | None = None
        self._last_seen = time.monotonic()
        self._closed = False
        self._stale = False
        _RUNNERS.add(self)

    @property
    def running(self) -> bool:
        return self._wanted and self._thread is not None and self._thread.is_alive()

    @property
    def finished(self) -> bool:
        return self.max_steps is not None and self.run.steps >= self.max_steps

    def touch(self) -> None:
        self._last_seen = time.monotonic()

    def start(self, max_steps: int | None = None) -> None:
        self.max_steps = max_steps
        self.error = None
        self.touch()
        self._snapshot_at = 0.0  # the first chunk publishes a snapshot straight away
        with self._life:
            self._wanted = True
            self._wake.set()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="sae-trainer", daemon=True)
                self._thread.start()

    def close(self, timeout: float = 5.0) -> None:
        """End the thread for good (the process is exiting)."""
        self._closed = True
        self._wanted = False
        self._wake.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def replace_run(self, run: LiveJob) -> None:
        """Reset: train `run` from now on, on the same (paused) thread."""
        self.pause(wait=True)
        with self.lock:
            self.run = run
            self._snapshot, self._snapshot_at, self._snapshot_step = None, 0.0, -1
            self.error, self.max_steps = None, None

    def pause(self, wait: bool = False) -> None:
        """Stop after the chunk in progress; with `wait`, return only once that chunk has finished."""
        self._wanted = False
        if wait:
            with self.lock:  # the loop checks `_wanted` under this lock before every chunk
                pass

    def _loop(self) -> None:
        while True:
            if not self._wanted:
                self._wake.clear()
                if not self._closed and (self._wanted or self._wake.wait(timeout=self.idle_timeout)):
                    continue
                with self._life:  # closed, or paused and untouched for a while: the thread ends unless revived
                    if self._closed or not self._wanted:
                        self._thread = None
                        return
                continue
            if time.monotonic() - self._last_seen > self.idle_timeout:
                self._wanted = False
                continue
            n = self.chunk if self.max_steps is None else min(self.chunk, self.max_steps - self.run.steps)
            if n <= 0:
                self._wanted = False
                continue
            started = time.perf_counter()
            with self.lock:
                if not self._wanted:
                    continue
                try:
                    self.run.train(n)
                    due = time.monotonic() - self._snapshot_at >= self.snapshot_every
                    if due or not self._wanted:
                        self._take_snapshot()
                except FloatingPointError as err:
                    self.error = str(err)
                    self._wanted = False
                except Exception as err:  # noqa: BLE001 - anything else still ends the run visibly, not silently
                    self.error = f"training stopped: {type(err).__name__}: {err}"
                    self._wanted = False
            self._hold(n, started)  # outside the lock, so a waiting reader takes it between chunks

    def _hold(self, steps: int, started: float) -> None:
        """Keep a played job to its `steps_per_second`, if it has one. A 1-D fit or the toy model finishes its
        whole run in a fraction of a second; played at that speed a page would show only the end. Step (on
        the caller's thread) is not held."""
        rate = getattr(self.run, "steps_per_second", None)
        left = steps / rate - (time.perf_counter() - started) if rate else 0.0
        time.sleep(max(0.0, left))

    def wait_for_first_snapshot(self, timeout: float = 0.5) -> None:
        """After start(), give the thread a moment to train one chunk so Play shows progress at once."""
        deadline = time.monotonic() + timeout
        started_at = self.run.steps
        while self.running and time.monotonic() < deadline:
            if self._snapshot is not None and self._snapshot_step > started_at:
                return
            time.sleep(0.01)

    def _take_snapshot(self) -> None:
        # The step is published with its picture, after it: a reader never pairs a new step with an old picture.
        step, snap = self.run.steps, self.run.snapshot()
        self._snapshot, self._snapshot_step, self._snapshot_at = snap, step, time.monotonic()

    def snapshot(self) -> LiveStatus:
        """The latest picture of the run: the thread's own while it trains, else computed now."""
        if self.running and self._snapshot is not None:
            return self._snapshot
        with self.lock:
            if self._snapshot is None or self._snapshot_step != self.run.steps or self._stale:
                self._take_snapshot()
                self._stale = False
            return self._snapshot

    def invalidate(self) -> None:
        """Something the snapshot shows changed without a step (a pin, a new penalty): picture it afresh."""
        self._stale = True

    def step_now(self, steps: int) -> None:
        """Train `steps` steps on the caller's thread (the Step button), with the runner paused."""
        self.pause(wait=True)
        with self.lock:
            self.run.train(steps)
