"""Each visitor's heavy run state (controllers with their models, optimisers and histories; the current trained model),
kept app-wide by owner id instead of in the visitor's session, and let go by its own clock.

A session that Streamlit keeps for a reconnect, or forgets late, then holds only its owner id: the tensors go once
the owner has been disconnected for `idle_timeout_s` (`disconnected`; a reconnect within it, `connected`, keeps
them). Entries with a `close()` (a controller and its training thread) are closed as they go.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class JobRegistry:
    def __init__(self, idle_timeout_s: float, sweep_every_s: float | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.idle_timeout_s = idle_timeout_s
        self.sweep_every_s = sweep_every_s if sweep_every_s is not None else max(0.5, min(idle_timeout_s, 5.0))
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[str, dict[str, Any]] = {}
        self._gone_since: dict[str, float] = {}  # owner → when its browser went
        self._sweeper: threading.Thread | None = None

    # --- entries -------------------------------------------------------------------------------------------------
    def get_or_make(self, owner: str, name: str, make: Callable[[], T]) -> T:
        """The owner's entry `name`, made by `make()` the first time (under the registry's lock: made once)."""
        with self._lock:
            entries = self._entries.setdefault(owner, {})
            if name not in entries:
                entries[name] = make()
            return entries[name]

    def get(self, owner: str, name: str) -> Any | None:
        with self._lock:
            return self._entries.get(owner, {}).get(name)

    def put(self, owner: str, name: str, value: Any) -> None:
        with self._lock:
            self._entries.setdefault(owner, {})[name] = value

    def owners(self) -> list[str]:
        with self._lock:
            return list(self._entries)

    # --- lifetime ------------------------------------------------------------------------------------------------
    def connected(self, owner: str) -> None:
        """The owner's browser is (back) on a page: keep its entries."""
        with self._lock:
            self._gone_since.pop(owner, None)

    def disconnected(self, owner: str) -> None:
        """The owner's browser went: its entries go after idle_timeout_s unless it reconnects."""
        with self._lock:
            self._gone_since.setdefault(owner, self._clock())
        self._start_sweeper()

    def expire(self) -> list[str]:
        """Let go of every owner disconnected for idle_timeout_s or longer; returns those owners."""
        now = self._clock()
        with self._lock:
            due = [owner for owner, since in self._gone_since.items() if now - since >= self.idle_timeout_s]
            dropped = [(owner, self._entries.pop(owner, {})) for owner in due]
            for owner in due:
                del self._gone_since[owner]
        for _owner, entries in dropped:  # outside the lock: closing a controller waits for its thread
            for value in entries.values():
                close = getattr(value, "close", None)
                if callable(close):
                    try:
                        close()
                    except Exception:  # one entry that will not close must not keep the others
                        traceback.print_exc()
        return due

    def _start_sweeper(self) -> None:
        with self._lock:
            if self._sweeper is not None:
                return
            self._sweeper = threading.Thread(target=self._sweep, name="job-registry-sweeper", daemon=True)
        self._sweeper.start()

    def _sweep(self) -> None:
        while True:
            time.sleep(self.sweep_every_s)
            self.expire()
