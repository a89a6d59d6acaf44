"""Two autoencoders trained side by side on the same data: a bottleneck one and a wide, sparse one.

The "Autoencoders" page trains both as one live job, step for step, and pictures them on the same inputs:
their codes (short and dense against long and mostly zero), reconstructions, atoms, L0 and explained
variance. A setting of one model changes that model alone: a new width starts the bottleneck afresh while the
sparse one trains on, and a new λ is only the sparse one's (the bottleneck's picture is not even retaken).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sae_core.data import Dataset
from sae_core.data.probes import one_per_label, probe_names
from sae_core.evaluation.evaluate import feature_densities, run_model
from sae_core.training.presets import default_hparams
from app_core.live.job import LiveStatus
from app_core.live.run import LiveRun, Measurement

SHOWN_ATOMS = 32  # the sparse model's most used atoms; the bottleneck shows all of its (≤ 32)


@dataclass(frozen=True)
class ModelPicture:
    """One of the two models, on the page's inputs."""

    arch: str
    latents: int
    step: int  # its own steps: a bottleneck started afresh at a new width has fewer than the sparse one
    now: Measurement
    x_hat: np.ndarray  # reconstructions of the probes [P, d]
    f: np.ndarray  # codes of the probes [P, latents]
    atoms: np.ndarray  # decoder rows, most used first [≤ SHOWN_ATOMS, d]
    atom_ids: np.ndarray  # which latents those are [≤ SHOWN_ATOMS]


@dataclass(frozen=True)
class PairSnapshot(LiveStatus):
    step: int
    x: np.ndarray  # the probes [P, d]
    names: tuple[str, ...]  # theirs, for people [P]
    image_shape: tuple[int, int] | None
    bottleneck: ModelPicture
    sparse: ModelPicture
    l1: float


class PairRun:
    """A `LiveJob`: `bottleneck` (arch "ae", `width` latents) and `sparse` (ReLU + L1, `sparse_latents`)
    trained in turn, one step each per step."""

    def __init__(self, data: Dataset, width: int, l1: float, sparse_latents: int = 256, seed: int = 0,
                 probes: int = 6):
        sparse_hp = default_hparams("relu", data.kind)[0]
        sparse_hp.l1 = l1
        self.data, self.seed = data, seed
        self.bottleneck = self._bottleneck(width)
        self.sparse = LiveRun(data, "relu", sparse_latents, sparse_hp, seed=seed)
        self.probe_idx = one_per_label(data, probes)
        self._pictures: dict[str, tuple[LiveRun, int, ModelPicture]] = {}  # per model: of which run, at which step

    def _bottleneck(self, width: int) -> LiveRun:
        return LiveRun(self.data, "ae", width, default_hparams("ae", self.data.kind)[0], seed=self.seed)

    @property
    def steps(self) -> int:
        return self.sparse.steps

    def train(self, n: int) -> None:
        self.bottleneck.train(n)
        self.sparse.train(n)

    def set_l1(self, l1: float) -> bool:
        """Move the sparse model's L1 coefficient; training goes on from where it is. Returns whether it moved."""
        changed = self.sparse.hp.l1 != l1
        self.sparse.hp.l1 = l1
        if changed:
            self._pictures.pop("sparse", None)  # its loss is pictured with its λ
        return changed

    def set_width(self, width: int) -> bool:
        """Start the bottleneck afresh at `width` latents; the sparse model trains on. Returns whether it changed."""
        if width == self.bottleneck.latents:
            return False
        self.bottleneck = self._bottleneck(width)
        return True

    def _picture(self, name: str, run: LiveRun) -> ModelPicture:
        kept = self._pictures.get(name)
        if kept is not None and kept[0] is run and kept[1] == run.steps:
            return kept[2]  # nothing about it changed: a move of the other model's setting does not retake it
        trainer = run.trainer
        x_hat, f, _ = run_model(trainer.model, run.hp, self.data.x[self.probe_idx], trainer.input_scale)
        density = feature_densities(trainer.model, run.hp, self.data.x[run.eval_idx], trainer.input_scale)
        ids = np.argsort(-density, kind="stable")[:SHOWN_ATOMS]
        picture = ModelPicture(arch=run.arch, latents=run.latents, step=run.steps, now=run.measure(), x_hat=x_hat,
                               f=f, atoms=run.decoder()[ids].copy(), atom_ids=ids)
        self._pictures[name] = (run, run.steps, picture)
        return picture

    def snapshot(self) -> PairSnapshot:
        return PairSnapshot(step=self.steps, x=self.data.x[self.probe_idx],
                            names=tuple(probe_names(self.data, self.probe_idx)), image_shape=self.data.image_shape,
                            bottleneck=self._picture("bottleneck", self.bottleneck),
                            sparse=self._picture("sparse", self.sparse), l1=self.sparse.hp.l1)
