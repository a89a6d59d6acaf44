"""One live-training controller for every page that trains: the job, its thread and its share of the machine.

A page hands the controller what it wants trained — an SAE run (`configure`) or any other `LiveJob`
(`configure_job`) — presses its buttons (`play`, `pause`, `step`, `reset`, `pin`) and, on each redraw,
calls `tick()` and draws the snapshot it returns (a `LiveSnapshot` for SAE runs): the only thing a page
reads. The controller keeps the heartbeat that stops a forgotten run, takes and gives
back a training slot, and closes its thread when its session ends (`close`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Hashable

from ..data import Dataset
from ..models import HParams, spec_of
from ..evaluation.evaluate import feature_densities
from ..models.persistence import to_zip
from .background import BackgroundRunner
from .job import LiveJob, LiveStatus
from .run import LiveRun, TrainedModel
from .slots import TrainingSlots

# Below this many steps a run has barely moved from its initialisation; pinning it would mark noise.
MIN_STEPS_TO_PIN = 100


@dataclass(frozen=True)
class RunSetup:
    """What makes a run: changing any of these starts a new one. (Penalties and the learning rate are
    `HParams`, which may change while it trains.)"""

    data_key: str  # identifies the dataset, e.g. "mnist" or a toy configuration
    arch: str
    latents: int
    seed: int = 0
    target_steps: int | None = None  # stop by itself after this many steps


class LiveController:
    def __init__(self, slots: TrainingSlots | None = None, owner: str = "local", idle_timeout: float = 15.0):
        self.slots = slots
        self.owner = owner
        self.idle_timeout = idle_timeout
        self.setup: Hashable | None = None  # what the job trains: a RunSetup for SAE runs
        self._target_steps: int | None = None
        self._run: LiveJob | None = None
        self._runner: BackgroundRunner | None = None
        self._playing = False
        self._run_id = 0
        self._export: tuple[tuple, bytes] | None = None

    # --- what is trained ---------------------------------------------------------------------------
    def configure(self, setup: RunSetup, data: Dataset, hp: HParams) -> None:
        """Train `setup` with `hp`: a new run if the setup changed, else the same run with new knobs."""
        if setup != self.setup or self._run is None:
            self.reset(setup, data, hp)
        else:
            self.tune(hp)

    def reset(self, setup: RunSetup, data: Dataset, hp: HParams) -> None:
        """A fresh run of `setup`, paused at step 0."""
        self.reset_job(setup, LiveRun(data, setup.arch, setup.latents, replace(hp), seed=setup.seed),
                       setup.target_steps)

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

    def adjust(self, change: Callable[[LiveJob], None]) -> None:
        """Change the job between two chunks of steps (a knob moved mid-run) and picture it afresh."""
        job, runner = self._require()
        with runner.lock:
            change(job)
        runner.invalidate()

    def tune(self, hp: HParams) -> None:
        """Change knobs mid-run. A changed sparsity knob first pins the point the run reached."""
        run, runner = self._require_sae()
        if hp == run.hp:
            return
        with runner.lock:
            changed = [k for k in spec_of(run.arch).knobs if getattr(hp, k.param) != getattr(run.hp, k.param)]
            if changed and run.steps >= MIN_STEPS_TO_PIN:
                run.measure()
                run.pin(_knob_label(run.hp, changed))
            for name in HParams.__dataclass_fields__:
                setattr(run.hp, name, getattr(hp, name))
        runner.invalidate()

    # --- buttons -----------------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self._playing

    def play(self) -> None:
        self._require()
        self._playing = True

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

    def pin(self) -> None:
        """Mark where the run is now on the trade-off plane, labelled with its knobs."""
        run, runner = self._require_sae()
        with runner.lock:
            run.measure()
            run.pin(_knob_label(run.hp, spec_of(run.arch).knobs) or "no penalty")
        runner.invalidate()

    # --- what pages read ---------------------------------------------------------------------------
    def tick(self) -> LiveStatus:
        """One redraw: keep the run alive, share the machine, and picture it."""
        run, runner = self._require()
        queue_position = 0
        if self._playing:
            runner.touch()
            if runner.finished or runner.error:
                pass  # ended: stopped below
            elif self.slots is None or self.slots.acquire(self.owner):
                if not runner.running:
                    runner.start(max_steps=self._target_steps)
                    runner.wait_for_first_snapshot()
            else:
                runner.pause()
                queue_position = max(1, self.slots.position(self.owner))
        snap = self._picture(queue_position)
        if snap.status in ("finished", "failed") and self._playing:
            self._stop()  # the run ended (perhaps while this tick waited for it): give its slot back
        return snap

    def snapshot(self) -> LiveStatus:
        """The run as it is, without advancing anything."""
        return self._picture(0)

    def _picture(self, queue_position: int) -> LiveStatus:
        run, runner = self._require()
        snap = runner.snapshot()
        if runner.error:
            status = "failed"
        elif runner.finished:
            status = "finished"
        elif queue_position:
            status = "waiting"
        else:
            status = "training" if self._playing else "paused"
        return replace(snap, status=status, error=runner.error, run_id=self._run_id, target_steps=self._target_steps,
                       queue_position=queue_position, queue_capacity=self.slots.capacity if self.slots else 0)

    def trained_model(self, source: str) -> TrainedModel:
        run, runner = self._require_sae()
        with runner.lock:
            return run.trained_model(source)

    def export_zip(self, name: str, extra: dict | None = None) -> bytes:
        """The model as a zipped SAELens folder (with sparsity.safetensors over the run's data), weights for
        raw inputs in the original units."""
        run, runner = self._require_sae()
        key = (self._run_id, run.steps, name, repr(extra))
        if self._export is not None and self._export[0] == key:
            return self._export[1]  # pages offer the download on every rerun; build it once per state
        with runner.lock:
            model, hp, scale = run.trainer.model, run.hp, run.trainer.input_scale
            extra = {"dataset": run.data.name, "seed": run.seed, **(extra or {})}
            data = to_zip(model, hp, scale, name=name, extra=extra,
                          density=feature_densities(model, hp, run.data.x, scale))
        self._export = (key, data)
        return data

    @property
    def has_run(self) -> bool:
        return self._run is not None

    # --- lifetime ----------------------------------------------------------------------------------
    def release(self) -> None:
        """The browser went away: stop training at once (without waiting for the chunk in progress) and give
        the slot back. The run stays, paused, for a reconnect; the idle thread ends by itself."""
        self._playing = False
        if self._runner is not None:
            self._runner.pause()
        if self.slots is not None:
            self.slots.release(self.owner)

    def close(self) -> None:
        """The process is ending: stop training, end the thread and give the slot back."""
        self._stop()
        if self._runner is not None:
            self._runner.close()

    def _stop(self) -> None:
        self.release()

    def _require(self) -> tuple[LiveJob, BackgroundRunner]:
        if self._run is None or self._runner is None:
            raise RuntimeError("configure or reset the controller first")
        return self._run, self._runner

    def _require_sae(self) -> tuple[LiveRun, BackgroundRunner]:
        run, runner = self._require()
        if not isinstance(run, LiveRun):
            raise TypeError(f"this controller trains a {type(run).__name__}, not an SAE run")
        return run, runner


def _knob_label(hp: HParams, knobs) -> str:
    """A pinned point's label: the knobs' values it was reached with, e.g. "ρ=0.05, β=20"."""
    return ", ".join(f"{k.symbol}={getattr(hp, k.param):g}" for k in knobs)
