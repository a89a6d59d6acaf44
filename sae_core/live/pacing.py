"""Hold a tiny job to a watchable speed.

A 1-D Gaussian fit or the toy model of superposition finishes its whole run in a fraction of a second;
played at that speed the page would show only the end. A paced job spends at least 1/rate seconds per
step, so Play is an animation a room can follow; Step and the unit tests are not paced.
"""

from __future__ import annotations

import time


class Pace:
    def __init__(self, steps_per_second: float | None):
        self.steps_per_second = steps_per_second

    def hold(self, steps: int, started: float) -> None:
        """Sleep until `steps` steps begun at `started` (a perf_counter time) have taken their share."""
        if self.steps_per_second:
            left = steps / self.steps_per_second - (time.perf_counter() - started)
            if left > 0:
                time.sleep(left)
