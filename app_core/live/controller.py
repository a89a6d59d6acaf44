"""The live-training controller of the SAE pages: a `JobController` whose job is an SAE run (`LiveRun`).

A page hands it what it wants trained (`configure`: a `RunSetup`, the data and the knobs), may move the
knobs while it trains (`tune`, which pins the point reached), pin points (`pin`), and take the model away
(`trained_model`, `export_zip`); `tick()` returns the run's `LiveSnapshot`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sae_core.data import Dataset
from sae_core.models import HParams, spec_of
from sae_core.evaluation.evaluate import feature_densities
from sae_core.models.persistence import to_zip
from app_core.live.background import BackgroundRunner
from app_core.live.job_controller import JobController
from app_core.live.run import LiveRun, TrainedModel

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


class LiveController(JobController):
    def __init__(self, owner: str = "local", idle_timeout: float = 15.0):
        super().__init__(owner, idle_timeout)
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

    def pin(self) -> None:
        """Mark where the run is now on the trade-off plane, labelled with its knobs."""
        run, runner = self._require_sae()
        with runner.lock:
            run.measure()
            run.pin(_knob_label(run.hp, spec_of(run.arch).knobs) or "no penalty")
        runner.invalidate()

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

    def _require_sae(self) -> tuple[LiveRun, BackgroundRunner]:
        run, runner = self._require()
        if not isinstance(run, LiveRun):
            raise TypeError(f"this controller trains a {type(run).__name__}, not an SAE run")
        return run, runner


def _knob_label(hp: HParams, knobs) -> str:
    """A pinned point's label: the knobs' values it was reached with, e.g. "ρ=0.05, β=20"."""
    return ", ".join(f"{k.symbol}={getattr(hp, k.param):g}" for k in knobs)
