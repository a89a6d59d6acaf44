"""The frontier of every built-in dataset, computed in the background from a server's start.

No visitor should press a button and wait a minute. One thread per process works through the datasets in
order (the Frontier page's default first), skips any already on disk or being computed by another process
(`FrontierStore.computing`), and writes each result and its progress to the store, where every page and
process reads them. It starts after a delay, so the first visitor's first page is drawn before it loads
PyTorch, at a lower CPU priority than the threads serving visitors, and it waits while visitors train
(`pause`): a lower priority alone did not keep it out of their way, because its Python holds the same
interpreter lock as theirs (a first Play on the Autoencoders page took 13 s beside it, against 6–9 s alone).
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from ..data import Dataset
from .frontier_store import SETUPS, FrontierStore

NICE = 10  # Linux lets a thread lower its own priority: visitors' pages and training come first


def lower_this_threads_priority() -> None:
    """Put the calling thread at `NICE` (background work does, after its imports)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)
    except (OSError, AttributeError):
        pass  # not Linux, or not allowed: run at the normal priority


class FrontierWorker:
    def __init__(self, store: FrontierStore, load_data: Callable[[str], "Dataset"], keys=tuple(SETUPS),
                 start_delay: float = 2.0, compute: Callable | None = None,
                 pause: Callable[[], None] | None = None):
        """`compute(data, latents, epochs, progress=..., pause=...)` makes the points (`compute_frontier`
        unless given); `pause`, called between short stretches of the work, may block to let visitors go first."""
        self.store, self.load_data, self.keys, self.start_delay = store, load_data, tuple(keys), start_delay
        self.compute, self.pause = compute, pause
        self.errors: dict[str, str] = {}
        self.current: str | None = None
        self._thread = threading.Thread(target=self._work, name="frontier-worker", daemon=True)

    def start(self) -> "FrontierWorker":
        self._thread.start()
        return self

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def _work(self) -> None:
        time.sleep(self.start_delay)
        compute = self.compute or self._load_compute()
        lower_this_threads_priority()
        for key in self.keys:
            if self.store.load(key) is not None:
                continue
            with self.store.computing(key) as mine:
                if not mine or self.store.load(key) is not None:
                    continue  # another process computes it, or just has
                self.current = key
                try:
                    self._compute(key, compute)
                except Exception as err:  # a failed frontier must not stop the others
                    self.errors[key] = f"{type(err).__name__}: {err}"
                    traceback.print_exc()
                finally:
                    self.current = None

    @staticmethod
    def _load_compute() -> Callable:
        """Import PyTorch at the normal priority, before lowering it: a visitor's page that imports it at the
        same time waits on this import (Python imports a module once), and behind a thread at nice 10 it
        waited seconds longer. This runs after `start_delay`, so the first page is drawn before."""
        from .frontier import compute_frontier

        return compute_frontier

    def _compute(self, key: str, compute: Callable) -> None:
        latents, epochs = SETUPS[key]
        self.store.report(key, 0, 1, "loading the data")
        if self.pause:
            self.pause()
        points = compute(self.load_data(key), latents, epochs, pause=self.pause,
                         progress=lambda done, total, what: self.store.report(key, done, total, what))
        self.store.save(key, points)
