"""A global cap on concurrent trainings, so a room full of visitors cannot starve a 2-core machine.

Owners (one per browser session) take a slot while they train and give it back when they pause. A
session that closes without pausing stops sending heartbeats; its slot expires after `ttl` seconds.
Waiting owners are served in arrival order.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict


class TrainingSlots:
    def __init__(self, capacity: int, ttl: float = 10.0, clock=time.monotonic):
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self.ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._holders: dict[str, float] = {}  # owner → last heartbeat
        self._queue: OrderedDict[str, float] = OrderedDict()  # waiting owner → last heartbeat

    def _expire(self, now: float) -> None:
        for table in (self._holders, self._queue):
            for owner in [o for o, seen in table.items() if now - seen > self.ttl]:
                del table[owner]

    def acquire(self, owner: str) -> bool:
        """Take (or keep) a slot; False means the owner waits in the queue (see `position`)."""
        with self._lock:
            now = self._clock()
            self._expire(now)
            if owner in self._holders:
                self._holders[owner] = now
                return True
            self._queue.setdefault(owner, now)
            self._queue[owner] = now
            first_waiting = next(iter(self._queue))
            free = len(self._holders) < self.capacity
            if free and first_waiting == owner:
                del self._queue[owner]
                self._holders[owner] = now
                return True
            return False

    def release(self, owner: str) -> None:
        with self._lock:
            self._holders.pop(owner, None)
            self._queue.pop(owner, None)

    def position(self, owner: str) -> int:
        """0 when holding a slot, else 1 + the number of owners ahead in the queue (−1 if unknown)."""
        with self._lock:
            if owner in self._holders:
                return 0
            for i, o in enumerate(self._queue):
                if o == owner:
                    return i + 1
            return -1

    def in_use(self) -> int:
        with self._lock:
            self._expire(self._clock())
            return len(self._holders)
