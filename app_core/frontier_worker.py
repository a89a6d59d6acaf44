"""The frontier of every built-in dataset, computed in the background from a server's start.

No visitor should press a button and wait a minute. One thread per process works through the datasets in
order (the Frontier page's default first), skips any already on disk or being computed by another process
(`FrontierStore.computing`), and writes each result and its progress to the store, where every page and
process reads them. It starts after a delay, so the first visitor's first page is drawn before it loads
PyTorch, at a lower CPU priority than the threads serving visitors, and between short stretches it takes
its turn among the visitors' played runs (`pause`, `app_core.live.background.BackgroundShare`): a lower priority
alone did not keep it out of their way, because its Python holds the same interpreter lock as theirs, and
waiting until nobody trained left a busy server without a frontier for as long as anyone kept a run playing.
On a server (`in_child`) each frontier is computed by a process of its own (frontier_child.py), at the same low
priority on one thread: with its own interpreter lock it uses a core the server's Python leaves idle, where taking
turns split one core between it and every visitor's run.
Where it stands (`phase`, `current`, `waiting_on`, `pauses`) and how many runs it shares with (written with its
progress) are for the Frontier page to say truthfully what a visitor waits for.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from sae_core.data import Dataset
from app_core.frontier_store import SETUPS, FrontierStore

NICE = 10  # Linux lets a thread lower its own priority: visitors' pages and training come first
_ROOT = Path(__file__).resolve().parents[1]  # where `python -m app_core.frontier_child` finds the packages
_CHILDREN: set[subprocess.Popen] = set()  # frontier processes running now


@atexit.register
def _end_children() -> None:
    # A child notices its server has gone only between stretches: minutes, inside dictionary learning.
    for child in list(_CHILDREN):
        child.terminate()


def lower_this_threads_priority() -> None:
    """Put the calling thread at `NICE` (background work does, after its imports)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)
    except (OSError, AttributeError):
        pass  # not Linux, or not allowed: run at the normal priority


class FrontierWorker:
    def __init__(self, store: FrontierStore, load_data: Callable[[str], "Dataset"], keys=tuple(SETUPS),
                 start_delay: float = 2.0, compute: Callable | None = None,
                 pause: Callable[[], None] | None = None, share=None, in_child: bool = False):
        """`compute(data, latents, epochs, progress=..., pause=...)` makes the points (`compute_frontier`
        unless given); `pause`, called between short stretches of the work, may block while it waits for its turn.
        `share` (a `BackgroundShare`) gives that pause, its `release()` once the work ends, and `sharing_with`,
        the visitors' runs it takes turns with, written with the progress. `in_child`: each frontier is computed
        by a process of its own (frontier_child.py) on a core the server's interpreter lock leaves idle; should
        that process fail to start, here, taking turns."""
        self.store, self.load_data, self.keys, self.start_delay = store, load_data, tuple(keys), start_delay
        self.compute, self.share, self.in_child = compute, share, in_child and compute is None
        self.child: subprocess.Popen | None = None  # the process computing `current`, while there is one
        self.pause = pause or (share.pause if share is not None else None)
        self.errors: dict[str, str] = {}
        self.current: str | None = None  # the dataset this process computes now
        self.waiting_on: str | None = None  # a dataset another process computes, waited for before going on
        self.phase = "starting"  # starting → loading (PyTorch) → working → done
        self.pauses = 0  # stretches of work begun: a count of its progress that tests and benchmarks read
        self.runs_done: set[str] = set()  # datasets whose SAE runs its child processes have done, baseline to come
        self._last_report: tuple[str, int, int, str, int] | None = None
        self._thread = threading.Thread(target=self._work, name="frontier-worker", daemon=True)

    def start(self) -> "FrontierWorker":
        self._thread.start()
        return self

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def queue(self) -> list[str]:
        """The datasets not yet on disk, in the order this worker takes them."""
        return [key for key in self.keys if self.store.load(key) is None and key not in self.errors]

    def _work(self) -> None:
        time.sleep(self.start_delay)
        self.phase = "loading"
        compute = self.compute or (None if self.in_child else self._load_compute())  # None: in a child process
        lower_this_threads_priority()
        self.phase = "working"
        try:
            if compute is None:  # every dataset's SAE runs first, each shown when done; then the baselines
                for key in self.keys:
                    self._try(key, compute, wait=False, runs_only=True)
            others = [key for key in self.keys if not self._try(key, compute, wait=False)]
            for key in others:  # computed by another process: wait for it, and compute it if that process died
                self._try(key, compute, wait=True)
        finally:
            self.phase = "done"
            if self.share is not None:
                self.share.release()  # its last stretch has no pause after it

    def _try(self, key: str, compute: Callable | None, wait: bool, runs_only: bool = False) -> bool:
        """Compute `key` (with `runs_only`, its SAE runs) unless it is on disk; False when another process holds it
        (and `wait` is off)."""
        if key in self.errors or self.store.load(key) is not None or (
                runs_only and self.store.load(key, partial=True) is not None):
            return True  # failed once (it is reported, not retried), or done
        self.waiting_on = key if wait else None
        try:
            with self.store.computing(key, wait=wait) as mine:
                self.waiting_on = None
                if not mine:
                    return False
                if self.store.load(key) is not None:
                    return True  # another process has just finished it
                self.current = key
                try:
                    self._compute(key, compute, runs_only)
                except Exception as err:  # a failed frontier must not stop the others
                    self.errors[key] = f"{type(err).__name__}: {err}"
                    traceback.print_exc()
                finally:
                    self.current = None
        finally:
            self.waiting_on = None
        return True

    @staticmethod
    def _load_compute() -> Callable:
        """Import PyTorch at the normal priority, before lowering it: a visitor's page that imports it at the
        same time waits on this import (Python imports a module once), and behind a thread at nice 10 it
        waited seconds longer. This runs after `start_delay`, so the first page is drawn before."""
        from sae_core.training.frontier import compute_frontier

        return compute_frontier

    def _compute(self, key: str, compute: Callable | None, runs_only: bool = False) -> None:
        if compute is None:
            try:
                self._compute_in_child(key, runs_only)
                if runs_only:
                    self.runs_done.add(key)
                return
            except OSError:  # no process could be started: compute here, taking turns
                traceback.print_exc()
                compute = self._load_compute()
        latents, epochs = SETUPS[key]
        self._report(key, 0, 0, "loading the data")  # total 0: before its first run
        self._pause()
        points = compute(self.load_data(key), latents, epochs, pause=self._pause,
                         progress=lambda done, total, what: self._report(key, done, total, what))
        self.store.save(key, points)

    def child_command(self, key: str, runs_only: bool) -> list[str]:
        return [sys.executable, "-m", "app_core.frontier_child", key, str(self.store.directory),
                *(["--runs-only"] if runs_only else [])]

    def _compute_in_child(self, key: str, runs_only: bool) -> None:
        self.store.report(key, 0, 0, "starting its process")
        # one thread for every library in it (OpenMP, BLAS): it is to use one spare core, not every core
        env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
        self.child = subprocess.Popen(self.child_command(key, runs_only), cwd=_ROOT, env=env, stdin=subprocess.DEVNULL,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        _CHILDREN.add(self.child)
        try:
            _, err = self.child.communicate()
        finally:
            _CHILDREN.discard(self.child)
            code, self.child = self.child.returncode, None
        if code != 0:
            lines = [line for line in (err or "").strip().splitlines() if line.strip()]
            raise RuntimeError(lines[-1] if lines else f"its process ended with status {code}")

    def _pause(self) -> None:
        """Between stretches: wait for a turn, then say afresh with how many runs it shares, if that changed."""
        if self.pause:
            self.pause()
        self.pauses += 1
        if self._last_report is not None and self._last_report[4] != self._sharing():
            self._report(*self._last_report[:4])

    def _sharing(self) -> int:
        return self.share.sharing_with if self.share is not None else 0

    def _report(self, key: str, done: int, total: int, what: str) -> None:
        sharing = self._sharing()
        self._last_report = (key, done, total, what, sharing)
        self.store.report(key, done, total, what, sharing=sharing)


def describe_wait(key: str, store: FrontierStore, worker: FrontierWorker, label: Callable[[str], str],
                  stale_s: float, now: float | None = None) -> tuple[float, str]:
    """What a visitor to `key`'s Frontier waits for, said truthfully: (fraction done, a sentence). `label(key)`
    names a dataset for people; a progress report older than `stale_s` seconds was left by a process that died."""
    now = time.time() if now is None else now

    def fresh(k: str):
        p = store.progress(k)
        return p if p is not None and (p.done < p.total or not p.total) and now - p.updated < stale_s else None

    def runs(p) -> str:
        return f"run {min(p.done + 1, p.total)} of {p.total}" if p.total else p.what

    def sharing(p) -> str:
        if not p.sharing:
            return ""
        s = "s" if p.sharing > 1 else ""
        return (f" It takes turns with {p.sharing} visitor run{s} training on this server, so it goes about "
                f"{p.sharing + 1}× slower than alone.")

    if key in worker.runs_done and worker.current not in (None, key):
        current, own = fresh(worker.current), store.progress(key)
        where = f" ({runs(current)})" if current is not None else ""
        return own.fraction if own else 0.0, (f"Dictionary learning, the baseline, follows once every dataset's SAE runs are done; the worker "
                     f"is on the {label(worker.current)} frontier{where}.")
    progress = fresh(key)
    if progress is not None:
        who = "in the background" if worker.current == key else "by another process of this server"
        doing = f"{runs(progress)} ({progress.what})" if progress.total else progress.what
        return progress.fraction, f"Computing the {label(key)} frontier {who}: {doing}.{sharing(progress)}"
    queue = worker.queue()
    ahead = queue[:queue.index(key)] if key in queue else []
    then = f" Then it computes {', then '.join(label(k) for k in ahead)} before this one." if ahead else ""
    if worker.phase == "starting":
        return 0.0, (f"Waiting for the frontier worker, which starts {worker.start_delay:g} s after the server's "
                     f"first page, then loads PyTorch.{then}")
    if worker.phase == "loading":
        return 0.0, f"Waiting for the frontier worker to load PyTorch.{then}"
    if worker.current is not None and worker.current != key:
        current = fresh(worker.current)
        where = f" ({runs(current)})" if current is not None else ""
        later = [k for k in ahead if k != worker.current]
        rest = f", then {', then '.join(label(k) for k in later)}" if later else ""
        return 0.0, (f"Queued behind the {label(worker.current)} frontier{where}{rest}."
                     f"{sharing(current) if current is not None else ''}")
    if worker.waiting_on is not None:
        return 0.0, (f"Waiting for another process of this server, which holds the {label(worker.waiting_on)} "
                     "frontier: it is computed once for every process sharing the cache folder.")
    return 0.0, (f"Waiting for another process of this server to compute the {label(key)} frontier (it holds "
                 "the right to compute it; its progress will show here).")
