"""The frontier of every built-in dataset, computed in the background from a server's start.

No visitor should press a button and wait a minute. One thread per process works through the datasets in
order (the Frontier page's default first), skips any already on disk or being computed by another process
(`FrontierStore.computing`), and writes each result and its progress to the store, where every page and
process reads them. It starts after a delay, so the first visitor's first page is drawn before it loads
PyTorch, and at a lower CPU priority than the threads serving visitors.
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


class FrontierWorker:
    def __init__(self, store: FrontierStore, load_data: Callable[[str], "Dataset"], keys=tuple(SETUPS),
                 start_delay: float = 2.0, compute: Callable | None = None):
        """`compute(data, latents, epochs, progress=...)` makes the points; `compute_frontier` unless given."""
        self.store, self.load_data, self.keys, self.start_delay = store, load_data, tuple(keys), start_delay
        self.compute = compute
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
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)
        except (OSError, AttributeError):
            pass  # not Linux, or not allowed: run at the normal priority
        time.sleep(self.start_delay)
        for key in self.keys:
            if self.store.load(key) is not None:
                continue
            with self.store.computing(key) as mine:
                if not mine or self.store.load(key) is not None:
                    continue  # another process computes it, or just has
                self.current = key
                try:
                    self._compute(key)
                except Exception as err:  # a failed frontier must not stop the others
                    self.errors[key] = f"{type(err).__name__}: {err}"
                    traceback.print_exc()
                finally:
                    self.current = None

    def _compute(self, key: str) -> None:
        compute = self.compute
        if compute is None:
            from .frontier import compute_frontier as compute  # torch: loaded here, after the first page is drawn

        latents, epochs = SETUPS[key]
        self.store.report(key, 0, 1, "loading the data")
        points = compute(self.load_data(key), latents, epochs,
                                  progress=lambda done, total, what: self.store.report(key, done, total, what))
        self.store.save(key, points)
