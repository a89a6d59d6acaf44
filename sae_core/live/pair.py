"""Two autoencoders trained side by side on the same data: a bottleneck one and a wide, sparse one.

The "Autoencoders" page trains both as one live job, step for step, and pictures them on the same inputs:
their codes (short and dense against long and mostly zero), reconstructions, atoms, L0 and explained
variance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..data import Dataset
from ..data.probes import one_per_label, probe_names
from ..evaluation.evaluate import feature_densities, run_model
from ..training.presets import default_hparams
from .job import LiveStatus
from .run import LiveRun, Measurement

SHOWN_ATOMS = 32  # the sparse model's most used atoms; the bottleneck shows all of its (≤ 32)


@dataclass(frozen=True)
class ModelPicture:
    """One of the two models, on the page's inputs."""

    arch: str
    latents: int
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
        ae_hp, sparse_hp = default_hparams("ae", data.kind)[0], default_hparams("relu", data.kind)[0]
        sparse_hp.l1 = l1
        self.bottleneck = LiveRun(data, "ae", width, ae_hp, seed=seed)
        self.sparse = LiveRun(data, "relu", sparse_latents, sparse_hp, seed=seed)
        self.data = data
        self.probe_idx = one_per_label(data, probes)

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
        return changed

    def _picture(self, run: LiveRun) -> ModelPicture:
        trainer = run.trainer
        x_hat, f, _ = run_model(trainer.model, run.hp, self.data.x[self.probe_idx], trainer.input_scale)
        density = feature_densities(trainer.model, run.hp, self.data.x[run.eval_idx], trainer.input_scale)
        ids = np.argsort(-density, kind="stable")[:SHOWN_ATOMS]
        return ModelPicture(arch=run.arch, latents=run.latents, now=run.measure(), x_hat=x_hat, f=f,
                            atoms=run.decoder()[ids].copy(), atom_ids=ids)

    def snapshot(self) -> PairSnapshot:
        return PairSnapshot(step=self.steps, x=self.data.x[self.probe_idx],
                            names=tuple(probe_names(self.data, self.probe_idx)), image_shape=self.data.image_shape,
                            bottleneck=self._picture(self.bottleneck), sparse=self._picture(self.sparse),
                            l1=self.sparse.hp.l1)
