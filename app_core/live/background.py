"""Train a live job (a `LiveRun` or any `LiveJob`) in the background while a page only reads snapshots.

A played runner takes turns on the process's `FairScheduler`: a worker thread (one unless set otherwise) shared by
every played job of every visitor, so a room trains at once and each run gets its share (see scheduler.py).
The page's timer touches the runner on every redraw; a runner whose page has gone quiet (a closed tab) stops
by itself after `idle_timeout` seconds. All access to the model goes through `lock`, held for one short chunk
of steps at a time.
"""

from __future__ import annotations

import atexit
import collections
import threading
import time
import weakref
from typing import Callable

from app_core.live.job import LiveJob, LiveStatus
from app_core.live.scheduler import FairScheduler

RATE_WINDOW_S = 3.0  # steps per second are measured over this much recent training
# The first picture after Play is an unpaced job's second snapshot, drawn at once: the first chunk's is still a blur,
# and waiting for the next redraw cost a second (BENCHMARKS.md, "Why the constants…").
FIRST_PICTURE_TIMEOUT_S = 1.5  # a limit on the wait, from start(): a large model's chunks can take longer


_scheduler: FairScheduler | None = None
_scheduler_lock = threading.Lock()


def shared_scheduler() -> FairScheduler:
    """The process's scheduler, made on first use."""
    global _scheduler
    with _scheduler_lock:
        if _scheduler is None:
            _scheduler = FairScheduler()
        return _scheduler


class _BackgroundTurn:
    """One turn of background work in the scheduler's round: the worker that gives it waits until the
    background thread's stretch has ended, so the two never compete for the interpreter lock."""

    background = True  # not a visitor's run: `FairScheduler.active()` leaves it out

    def __init__(self, max_hold_s: float):
        self.max_hold_s = max_hold_s
        self.granted, self.ended = threading.Event(), threading.Event()

    def wants_turns(self) -> bool:
        return False  # one turn; the thread's next pause queues the next

    def take_turn(self, slice_s: float) -> None:
        if not self.ended.is_set():  # not given up by its thread
            self.granted.set()
            self.ended.wait(self.max_hold_s)  # a stretch with no pause after it (the last one) is not waited out
        return None


class BackgroundShare:
    """Background work's fair share of the trainer: one turn in each round of the visitors' played runs.

    A background thread calls `pause()` between short stretches of its work. While no visitor trains it goes on
    at once. Otherwise it queues a turn on the scheduler and waits for it; a stretch longer than the visitors'
    slice is paid for by waiting that much longer, times the runs it shares with, so each of n runs and the
    background work get about 1/(n+1) of the time. `turns`, `free` and `sharing_with` say how it went."""

    def __init__(self, scheduler: Callable[[], FairScheduler | None] | None = None, max_hold_s: float = 1.0):
        self._scheduler = scheduler or (lambda: _scheduler)
        self.max_hold_s = max_hold_s
        self.turns = 0  # stretches run in a turn beside visitors' runs
        self.free = 0  # stretches run with no visitor training
        self.sharing_with = 0  # visitors' runs training at the last pause
        self._held = threading.local()  # the calling thread's turn in progress and when it began

    def pause(self) -> None:
        now = time.monotonic()
        turn, began = getattr(self._held, "turn", None), getattr(self._held, "began", now)
        self._held.turn = None
        if turn is not None:
            turn.ended.set()  # gives the worker back
        scheduler = self._scheduler()
        runs = scheduler.active() if scheduler is not None and not scheduler.closed else 0
        self.sharing_with = runs
        if not runs:
            self.free += 1
            return
        debt = max(0.0, now - began - scheduler.slice_s) * runs if turn is not None else 0.0
        turn = _BackgroundTurn(self.max_hold_s)
        scheduler.submit(turn, at=now + debt)
        while not turn.granted.wait(0.5):
            if scheduler.closed:
                turn.ended.set()
                return
        self._held.turn, self._held.began = turn, time.monotonic()
        self.turns += 1

    def release(self) -> None:
        """The calling thread's work has ended (or goes on without pauses): give back a turn it holds."""
        turn = getattr(self._held, "turn", None)
        self._held.turn = None
        if turn is not None:
            turn.ended.set()


_BACKGROUND_SHARE = BackgroundShare()


def background_share() -> BackgroundShare:
    """The process's background share: frontiers and scene runs take their turns through it."""
    return _BACKGROUND_SHARE


_RUNNERS: weakref.WeakSet[BackgroundRunner] = weakref.WeakSet()


def close_all() -> None:
    """Stop every runner (tests call this between tests)."""
    for runner in list(_RUNNERS):
        runner.close()


@atexit.register
def _end_workers() -> None:
    # A training thread still alive at exit makes torch's OpenMP runtime abort the process ("terminate called
    # without an active exception"): stop every runner, then end the workers.
    close_all()
    with _scheduler_lock:
        if _scheduler is not None:
            _scheduler.close()


class BackgroundRunner:
    """`snapshot` is refreshed by the training turns every `snapshot_every` seconds: a page reads it
    without running any torch code itself, which on a 2-core machine would start yet another OpenMP
    team competing with training."""

    def __init__(self, run: LiveJob, chunk: int = 5, idle_timeout: float = 15.0, snapshot_every: float = 0.4,
                 scheduler: FairScheduler | None = None):
        self.run = run
        self.chunk = chunk
        self.idle_timeout = idle_timeout
        self.snapshot_every = snapshot_every
        self.scheduler = scheduler or shared_scheduler()
        self._snapshot: LiveStatus | None = None
        self._snapshot_step = -1  # the job's step count when `_snapshot` was taken
        self._snapshot_at = 0.0
        self._started_at, self._snapshots_since_start = 0.0, 0  # since the last start()
        self.lock = threading.Lock()
        self.error: str | None = None
        self.max_steps: int | None = None
        self._wanted = False
        self._last_seen = time.monotonic()
        self._closed = False
        self._stale = False
        self._trained: collections.deque[tuple[float, int]] = collections.deque()  # (time, steps) of recent turns
        _RUNNERS.add(self)

    @property
    def running(self) -> bool:
        return self._wanted

    @property
    def finished(self) -> bool:
        return self.max_steps is not None and self.run.steps >= self.max_steps

    @property
    def paced(self) -> bool:
        """A job played at its own `steps_per_second` (an animation: a 1-D fit, the toy model)."""
        return bool(getattr(self.run, "steps_per_second", None))

    def touch(self) -> None:
        self._last_seen = time.monotonic()

    def start(self, max_steps: int | None = None) -> None:
        self.max_steps = max_steps
        self.error = None
        self.touch()
        self._snapshot_at = 0.0  # the first chunk publishes a snapshot straight away
        with self.lock:  # a chunk still finishing from before a release() counts for that run, not this start
            self._started_at, self._snapshots_since_start = time.monotonic(), 0
        self._trained.clear()
        self._wanted = True
        self.scheduler.submit(self)

    def close(self, timeout: float = 5.0) -> None:
        """Stop for good (the session or the process is ending), after the chunk in progress."""
        self._closed = True
        self.pause(wait=True)

    def replace_run(self, run: LiveJob) -> None:
        """Reset: train `run` from now on (paused)."""
        self.pause(wait=True)
        with self.lock:
            self.run = run
            self._snapshot, self._snapshot_at, self._snapshot_step = None, 0.0, -1
            self.error, self.max_steps = None, None
            self._trained.clear()

    def pause(self, wait: bool = False) -> None:
        """Stop after the chunk in progress; with `wait`, return only once that chunk has finished."""
        self._wanted = False
        if wait:
            with self.lock:  # a turn checks `_wanted` under this lock before every chunk
                pass

    # --- turns on the scheduler's workers ----------------------------------------------------------
    def wants_turns(self) -> bool:
        return self._wanted and not self._closed

    def take_turn(self, slice_s: float) -> float | None:
        """Train chunks for about `slice_s` seconds; when the next turn is due, or None when it stops."""
        if time.monotonic() - self._last_seen > self.idle_timeout:
            self._wanted = False  # nobody has looked for a while: the tab has gone
        started = time.perf_counter()
        trained = 0
        while self.wants_turns():
            n = self.chunk if self.max_steps is None else min(self.chunk, self.max_steps - self.run.steps)
            if n <= 0:
                self._wanted = False
                break
            with self.lock:
                if not self.wants_turns():
                    break
                try:
                    self.run.train(n)
                    trained += n
                    due = time.monotonic() - self._snapshot_at >= self.snapshot_every
                    if due or not self._wanted:
                        self._take_snapshot()
                        self._snapshots_since_start += 1  # a training turn's: a page's own picture is not
                except FloatingPointError as err:
                    self.error = str(err)
                    self._wanted = False
                except Exception as err:  # noqa: BLE001 - anything else still ends the run visibly, not silently
                    self.error = f"training stopped: {type(err).__name__}: {err}"
                    self._wanted = False
            if self.paced or time.perf_counter() - started >= slice_s:
                break  # a paced job takes one chunk per turn; its next turn is its next frame
        self._count(trained)
        if not self.wants_turns():
            return None
        return time.monotonic() + self._hold(trained, started)

    def _count(self, steps: int) -> None:
        now = time.monotonic()
        self._trained.append((now, steps))
        while self._trained and now - self._trained[0][0] > RATE_WINDOW_S:
            self._trained.popleft()

    @property
    def steps_per_second(self) -> float | None:
        """Steps per second over the last few seconds of play (None before there is enough to say)."""
        turns = list(self._trained)
        if len(turns) < 2 or turns[-1][0] - turns[0][0] < 0.5:
            return None
        return sum(steps for _, steps in turns[1:]) / (turns[-1][0] - turns[0][0])

    def _hold(self, steps: int, started: float) -> float:
        """Seconds until a played job's next turn: 0, or what keeps it to its `steps_per_second`, if it has one.
        A 1-D fit or the toy model finishes its whole run in a fraction of a second; played at that speed a page
        would show only the end. Step (on the caller's thread) is not held."""
        rate = getattr(self.run, "steps_per_second", None)
        return max(0.0, steps / rate - (time.perf_counter() - started)) if rate else 0.0

    def wait_for_first_picture(self) -> float:
        """Since start(), give the workers a moment so Play shows progress at once: the second snapshot of an
        unpaced job, the first of a paced one (an animation, which starts from the picture already shown); at
        most `FIRST_PICTURE_TIMEOUT_S` after the start, then the page draws the latest there is. Returns at once
        when that picture is there already. Returns the seconds it waited."""
        began = time.monotonic()
        wanted = 1 if self.paced else 2
        deadline = self._started_at + FIRST_PICTURE_TIMEOUT_S
        while self.running and self._snapshots_since_start < wanted and time.monotonic() < deadline:
            time.sleep(0.01)
        return time.monotonic() - began

    def _take_snapshot(self) -> None:
        # The step is published with its picture, after it: a reader never pairs a new step with an old picture.
        step, snap = self.run.steps, self.run.snapshot()
        self._snapshot, self._snapshot_step, self._snapshot_at = snap, step, time.monotonic()

    def snapshot(self) -> LiveStatus:
        """The latest picture of the run: the training turns' own while it trains, else computed now."""
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
