"""What the live-training machinery needs of anything it trains, and what every picture of it carries.

A job is trained a few steps at a time on a background thread (`BackgroundRunner`) and pictured between
chunks; the controller stamps each picture with where the job stands. An SAE run (`LiveRun`), a pair of
autoencoders, a 1-D Gaussian fit and the toy model of superposition are all jobs, so every page that
trains shares one set of buttons, one heartbeat and one share of the machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, kw_only=True)
class LiveStatus:
    """Where a job stands, as its controller saw it when it took the picture.

    status: "paused", "training", "finished" or "failed".
    """

    status: str = "paused"
    error: str | None = None
    run_id: int = 0  # which of its controller's jobs this is (each reset makes a new one)
    target_steps: int | None = None
    measured_rate: float | None = None  # steps per second over the last few seconds of play
    training_now: int = 0  # runs training on this server at the moment, this one included


class LiveJob(Protocol):
    """Optionally also `steps_per_second`: a play speed the runner holds it to (an animation); and `measure()`:
    record a point of its curve, which a run trained ahead for a scene calls as it goes (run_cache.py)."""

    @property
    def steps(self) -> int:
        """Optimiser steps taken so far."""

    def train(self, n: int) -> None:
        """Take `n` more steps."""

    def snapshot(self) -> LiveStatus:
        """A picture of the job now: a frozen copy, safe to read while training goes on."""
