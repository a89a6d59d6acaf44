"""A training run that a page advances a little at a time and inspects between ticks."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from . import metrics
from .data import Dataset
from .models import HParams, build
from .train import Trainer, mean_activation, run_model

EVAL_SAMPLES = 1000
PROBES = 8


@dataclass
class Measurement:
    """Metrics on a fixed evaluation subset, in original units."""

    step: int
    seconds: float
    l0: float
    mse: float
    fve: float
    dead_fraction: float
    mean_activation: float
    shrinkage: float
    mmcs: float | None = None


@dataclass
class RunView:
    """Everything a page draws about a run at one moment, computed away from the page's thread."""

    now: Measurement
    x: np.ndarray  # probe inputs [P, d]
    x_hat: np.ndarray  # their reconstructions [P, d]
    f: np.ndarray  # their activations [P, d_sae]
    fired: np.ndarray  # their firing masks [P, d_sae]
    decoder: np.ndarray  # [d_sae, d]
    matched: tuple | None  # toy data: see LiveRun.matched_cosines


@dataclass
class PinnedPoint:
    label: str
    l0: float
    mse: float
    fve: float


@dataclass
class LiveRun:
    data: Dataset
    arch: str
    latents: int
    hp: HParams
    seed: int = 0
    trainer: Trainer = field(init=False)
    curve: list[Measurement] = field(default_factory=list)
    pinned: list[PinnedPoint] = field(default_factory=list)

    def __post_init__(self):
        self.trainer = Trainer(build(self.arch, self.data.d, self.latents, seed=self.seed), self.data.x, self.hp,
                               seed=self.seed)
        rng = np.random.default_rng(self.seed)
        n = len(self.data.x)
        self.eval_idx = np.sort(rng.choice(n, size=min(EVAL_SAMPLES, n), replace=False))
        self.probe_idx = self._varied_probes(rng)
        self.measure()

    def _varied_probes(self, rng) -> np.ndarray:
        """Probe inputs with distinct labels where labels exist (MNIST is stored sorted by digit)."""
        labels = self.data.labels
        if labels is None:
            return rng.choice(len(self.data.x), size=min(PROBES, len(self.data.x)), replace=False)
        picks = [int(rng.choice(np.flatnonzero(labels == c))) for c in np.unique(labels)[:PROBES]]
        return np.array(picks)

    @property
    def steps(self) -> int:
        return self.trainer.step_count

    def advance(self, budget_s: float | None = 0.15, chunk: int = 5, max_steps: int | None = None) -> int:
        """Train until `budget_s` seconds have passed or `max_steps` were taken, whichever comes first.

        Returns the number of steps taken (at least one chunk unless max_steps is 0).
        """
        if budget_s is None and max_steps is None:
            raise ValueError("give a time budget, a step limit, or both")
        started, taken = time.perf_counter(), 0
        while max_steps is None or taken < max_steps:
            n = chunk if max_steps is None else min(chunk, max_steps - taken)
            self.trainer.step(n)
            taken += n
            if budget_s is not None and time.perf_counter() - started >= budget_s:
                break
        return taken

    def measure(self) -> Measurement:
        x = self.data.x[self.eval_idx]
        x_hat, f, active = run_model(self.trainer.model, self.hp, x, self.trainer.scale)
        mean_act = mean_activation(self.trainer.model, f)
        dead = self.trainer.dead_fraction()
        if dead is None:  # too early for the training window: judge by the evaluation inputs instead
            dead = metrics.dead_fraction(active)
        m = Measurement(
            step=self.steps, seconds=self.trainer.seconds, l0=metrics.l0(active), mse=metrics.mse(x, x_hat),
            fve=metrics.explained_variance(x, x_hat), dead_fraction=dead, mean_activation=mean_act,
            shrinkage=metrics.shrinkage(x, x_hat),
            mmcs=metrics.mmcs(self.data.true_features, self.decoder()) if self.data.true_features is not None else None,
        )
        if not self.curve or self.curve[-1].step != m.step:
            self.curve.append(m)
        else:
            self.curve[-1] = m
        return m

    def pin(self, label: str) -> PinnedPoint:
        m = self.curve[-1]
        point = PinnedPoint(label, m.l0, m.mse, m.fve)
        self.pinned.append(point)
        return point

    # --- views ---------------------------------------------------------------------------------
    def view(self) -> RunView:
        now = self.measure()
        x, x_hat, f, fired = self.probes()
        return RunView(now, x, x_hat, f, fired, self.decoder().copy(), self.matched_cosines())

    def decoder(self) -> np.ndarray:
        """Decoder rows as directions in input space. [d_sae, d]"""
        return self.trainer.model.W_dec.detach().cpu().numpy()

    def probes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Fixed inputs, reconstructions, activations and firing masks. [P, d], [P, d], [P, d_sae] ×2"""
        x = self.data.x[self.probe_idx]
        x_hat, f, active = run_model(self.trainer.model, self.hp, x, self.trainer.scale)
        return x, x_hat, f, active

    def matched_cosines(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """Toy data: cosine matrix with latents reordered to match true features, matched sims, latent ids."""
        if self.data.true_features is None:
            return None
        cos = metrics.cosine_matrix(self.data.true_features, self.decoder())
        latent, sims = metrics.hungarian_matching(self.data.true_features, self.decoder())
        order = list(latent[latent >= 0]) + [j for j in range(cos.shape[1]) if j not in set(latent)]
        return cos[:, order], sims, latent


@dataclass
class TrainedModel:
    """What the feature explorer needs: a model, how to run it, and the data it belongs to."""

    model: object  # an SAE
    hp: HParams
    scale: float  # inputs are multiplied by this before the model sees them (1 for loaded, folded models)
    data: Dataset
    source: str  # where it came from, for people

    @classmethod
    def from_run(cls, run: "LiveRun", source: str) -> "TrainedModel":
        return cls(run.trainer.model, run.hp, run.trainer.scale, run.data, source)
