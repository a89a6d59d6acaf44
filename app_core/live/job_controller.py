"""One controller for every page that trains: the job, its thread and its share of the machine.

A page hands the controller what it wants trained (`configure_job`: a setup, and how to make the job
for it), presses its buttons (`play`, `pause`, `step`, `reset_job`) and, on each redraw, calls `tick()`
and draws the snapshot it returns: the only thing a page reads. The controller keeps the heartbeat that
stops a forgotten job and stops training when its session ends (`release`, `close`); the machine is shared
among all played jobs by the scheduler (scheduler.py), so nobody waits in line. SAE runs add their own knobs and pins (`LiveController`).

Nothing here imports torch: a page whose job is numpy (a 1-D fit, the toy model) never loads it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Hashable

from app_core.live.background import BackgroundRunner
from app_core.live.job import LiveJob, LiveStatus


class JobController:
    def __init__(self, owner: str = "local", idle_timeout: float = 15.0):
        self.owner = owner
        self.idle_timeout = idle_timeout
        self.setup: Hashable | None = None  # what the job trains: a RunSetup for SAE runs
        self._target_steps: int | None = None
        self._run: LiveJob | None = None
        self._runner: BackgroundRunner | None = None
        self._playing = False
        self._run_id = 0
        self.picture_wait_s = 0.0  # how long the last tick waited for Play's first picture (not drawing)
        
    # --- what is trained ---------------------------------------------------------------------------
    def configure_job(self, setup: Hashable, make: Callable[[], LiveJob], target_steps: int | None = None) -> bool:
        """Train the job `make()` builds for `setup`, unless this controller already trains that setup.
        Returns whether a new job was made."""
        if setup == self.setup and self._run is not None:
            return False
        self.reset_job(setup, make(), target_steps)
        return True

    def reset_job(self, setup: Hashable, job: LiveJob, target_steps: int | None = None) -> None:
        """Train `job` from now on, paused at its start."""
        if self._runner is None:
            self._runner = BackgroundRunner(job, idle_timeout=self.idle_timeout)
        else:
            self._runner.replace_run(job)  # one thread per controller, however often it resets
        self._run, self.setup, self._target_steps = job, setup, target_steps
        self._run_id += 1
        self._stop()

    def warm_start(self, cache, steps: int, progress=None) -> bool:
        """Swap a job still at step 0 for a copy of the same job trained `steps` steps (a scene's trained
        model), from `cache`. Returns whether it did; a job that has trained is the visitor's own and stays."""
        job, runner = self._require()
        if steps <= 0 or job.steps > 0:
            return False
        self.reset_job(self.setup, cache.resume(cache.key(job, self.setup, steps), job, steps, progress),
                       self._target_steps)
        return True

    def adjust(self, change: Callable[[LiveJob], bool | None]) -> None:
        """Change the job between two chunks of steps (a knob moved mid-run) and picture it afresh, unless
        `change` returns False (it changed nothing)."""
        job, runner = self._require()
        with runner.lock:
            changed = change(job)
        if changed is not False:
            runner.invalidate()

    # --- buttons -----------------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self._playing

    def play(self) -> None:
        """Train from now on: at once, so that the page's run up to its live panel's first picture trains too."""
        _, runner = self._require()
        self._playing = True
        self._keep_training(runner)

    def pause(self) -> None:
        """Stop after the chunk in progress; the numbers shown after Pause stay put."""
        if self._runner is not None:
            self._runner.pause(wait=True)
        self._stop()

    def toggle(self) -> None:
        self.pause() if self._playing else self.play()

    def step(self, steps: int) -> None:
        """Train `steps` steps now, on the caller's thread, and stay paused."""
        _, runner = self._require()
        self._stop()
        runner.step_now(steps)

    # --- what pages read ---------------------------------------------------------------------------
    def tick(self) -> LiveStatus:
        """One redraw: keep the run alive and picture it."""
        run, runner = self._require()
        self.picture_wait_s = 0.0
        if self._playing:
            runner.touch()
            self._keep_training(runner)
            self.picture_wait_s = runner.wait_for_first_picture()
        snap = self._picture()
        if snap.status in ("finished", "failed") and self._playing:
            self._stop()  # the run ended (perhaps while this tick waited for it)
        return snap

    def _keep_training(self, runner: BackgroundRunner) -> None:
        """Start the runner unless it trains already or has nothing left to do (it stops by itself once nobody
        has looked for a while: a tab closed, or hidden)."""
        if not (runner.finished or runner.error or runner.running):
            runner.start(max_steps=self._target_steps)

    def snapshot(self) -> LiveStatus:
        """The run as it is, without advancing anything."""
        return self._picture()

    def _picture(self) -> LiveStatus:
        run, runner = self._require()
        snap = runner.snapshot()
        if runner.error:
            status = "failed"
        elif runner.finished:
            status = "finished"
        else:
            status = "training" if self._playing else "paused"
        playing = status == "training"
        return replace(snap, status=status, error=runner.error, run_id=self._run_id, target_steps=self._target_steps,
                       measured_rate=runner.steps_per_second if playing else None,
                       training_now=runner.scheduler.active() if playing else 0)

    @property
    def has_run(self) -> bool:
        return self._run is not None

    # --- lifetime ----------------------------------------------------------------------------------
    def release(self) -> None:
        """The browser went away: stop training at once (without waiting for the chunk in progress). The run
        stays, paused, for a reconnect."""
        self._playing = False
        if self._runner is not None:
            self._runner.pause()

    def close(self) -> None:
        """The session or the process is ending: stop training for good."""
        self._stop()
        if self._runner is not None:
            self._runner.close()

    def _stop(self) -> None:
        self.release()

    def _require(self) -> tuple[LiveJob, BackgroundRunner]:
        if self._run is None or self._runner is None:
            raise RuntimeError("configure or reset the controller first")
        return self._run, self._runner
