"""A training run that is advanced a little at a time and pictured between chunks of steps."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field, replace

import numpy as np
import torch

from sae_core.data import Dataset
from sae_core.evaluation import metrics
from sae_core.evaluation.evaluate import Evaluation, evaluate, run_model
from sae_core.models import HParams, build
from sae_core.training.trainer import Trainer
from app_core.live.job import LiveStatus

EVAL_SAMPLES = 1000
PROBES = 8
# A run keeps at most this many measurements (about one per picture, so ~15 minutes of play): past it,
# every other older one is dropped, which keeps the curve's shape while memory stays bounded.
MAX_CURVE = 2000


@dataclass
class Measurement(Evaluation):
    """An evaluation on the run's fixed evaluation inputs, at a step of training."""

    step: int = 0
    seconds: float = 0.0  # time spent in optimiser steps so far


@dataclass(frozen=True)
class PinnedPoint:
    label: str
    l0: float
    mse: float
    fve: float


@dataclass(frozen=True)
class Matching:
    """Toy data: how the learned atoms line up with the true features.

    cosines: [n_true, d_sae] with latents reordered so each true feature's match comes first;
    sims: [n_true] the matched cosine of each true feature; latent: [n_true] its latent (−1 if none).
    """

    cosines: np.ndarray
    sims: np.ndarray
    latent: np.ndarray
    found: tuple[int, ...]  # true features whose matched cosine reaches metrics.FOUND_COSINE
    missed: tuple[int, ...]
    mcc: float  # SAELens' MCC: mean |cosine| of a one-to-one matching on |cosine|


@dataclass(frozen=True)
class LiveSnapshot(LiveStatus):
    """Everything a page shows about a run at one moment: copies, safe to read while training goes on."""

    now: Measurement
    curve: tuple[Measurement, ...]
    pinned: tuple[PinnedPoint, ...]
    x: np.ndarray  # probe inputs [P, d]
    x_hat: np.ndarray  # their reconstructions [P, d]
    f: np.ndarray  # their activations [P, d_sae]
    fired: np.ndarray  # their firing masks [P, d_sae]
    fired_counts: tuple[int, ...]  # latents firing on each probe
    decoder: np.ndarray  # [d_sae, d]
    matching: Matching | None
    arch: str
    latents: int
    hp: HParams
    data_name: str
    image_shape: tuple[int, int] | None
    steps_per_second: float
    firing_rates: np.ndarray | None = None  # KL model: each latent's ρ̂ⱼ on the evaluation inputs [d_sae]

    @property
    def has_truth(self) -> bool:
        """Whether the data come with their true features (toy data)."""
        return self.matching is not None

    @property
    def progress(self) -> float | None:
        return None if not self.target_steps else min(1.0, self.now.step / self.target_steps)

    @property
    def seconds_left(self) -> float | None:
        """Estimated training time left to the target, at the rate so far."""
        if not self.target_steps or self.steps_per_second <= 0:
            return None
        return max(0, self.target_steps - self.now.step) / self.steps_per_second


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

    def train(self, n: int) -> None:
        self.trainer.step(n, snapshot=False)

    def advance(self, budget_s: float | None = 0.15, chunk: int = 5, max_steps: int | None = None) -> int:
        """Train until `budget_s` seconds have passed or `max_steps` were taken, whichever comes first.

        Returns the number of steps taken (at least one chunk unless max_steps is 0).
        """
        if budget_s is None and max_steps is None:
            raise ValueError("give a time budget, a step limit, or both")
        started, taken = time.perf_counter(), 0
        while max_steps is None or taken < max_steps:
            n = chunk if max_steps is None else min(chunk, max_steps - taken)
            self.trainer.step(n, snapshot=False)
            taken += n
            if budget_s is not None and time.perf_counter() - started >= budget_s:
                break
        return taken

    def measure(self) -> Measurement:
        """Evaluate on the fixed evaluation inputs; the dead fraction is the training window's."""
        ev = evaluate(self.trainer.model, self.hp, self.data.x[self.eval_idx], self.trainer.input_scale,
                      self.data.true_features, matched=False)
        ev.dead_fraction = self.trainer.dead_fraction()
        m = Measurement(**asdict(ev), step=self.steps, seconds=self.trainer.seconds)
        if self.curve and self.curve[-1].step == m.step:
            self.curve[-1] = m
        else:
            self.curve.append(m)
            if len(self.curve) > MAX_CURVE:
                self.curve[:-1] = self.curve[:-1:2]
        return m

    def pin(self, label: str) -> PinnedPoint:
        m = self.curve[-1]
        point = PinnedPoint(label, m.l0, m.mse, m.fve)
        self.pinned.append(point)
        return point

    # --- saving and resuming (runs trained ahead for scenes, shared through the disk) ----------
    def state_dict(self) -> dict:
        """The training's state and the curve so far, as tensors and plain values (see `Trainer.state_dict`)."""
        return {"trainer": self.trainer.state_dict(),
                "curve": [{k: _plain(v) for k, v in asdict(m).items()} for m in self.curve],
                "pinned": [asdict(p) for p in self.pinned]}

    def load_state_dict(self, state: dict) -> None:
        """Continue from `state_dict()` of a run made with the same data, architecture, size, knobs and seed."""
        self.trainer.load_state_dict(state["trainer"])
        self.curve = [Measurement(**m) for m in state["curve"]]
        self.pinned = [PinnedPoint(**p) for p in state["pinned"]]

    # --- pictures ------------------------------------------------------------------------------
    def snapshot(self) -> LiveSnapshot:
        now = self.measure()
        x, x_hat, f, fired = self.probes()
        seconds = self.trainer.seconds
        return LiveSnapshot(
            now=now, curve=tuple(self.curve), pinned=tuple(self.pinned), x=x, x_hat=x_hat, f=f, fired=fired,
            fired_counts=tuple(int(c) for c in fired.sum(axis=1)), decoder=self.decoder().copy(),
            matching=self.matching(), arch=self.arch, latents=self.latents, hp=replace(self.hp),
            data_name=self.data.name, image_shape=self.data.image_shape,
            steps_per_second=self.steps / seconds if seconds > 0 else 0.0, firing_rates=self.firing_rates(),
        )

    def firing_rates(self) -> np.ndarray | None:
        """KL model: each latent's ρ̂ⱼ — its mean sigmoid output over the evaluation inputs, as its penalty
        measures it (over a batch) — else None. [d_sae]"""
        if self.arch != "kl":
            return None
        model = self.trainer.model
        _, f, _ = run_model(model, self.hp, self.data.x[self.eval_idx], self.trainer.input_scale)
        with torch.no_grad():
            return model.latent_means(torch.as_tensor(f)).cpu().numpy()

    def decoder(self) -> np.ndarray:
        """Decoder rows as directions in input space. [d_sae, d]"""
        return self.trainer.model.W_dec.detach().cpu().numpy()

    def probes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Fixed inputs, reconstructions, activations and firing masks. [P, d], [P, d], [P, d_sae] ×2"""
        x = self.data.x[self.probe_idx]
        x_hat, f, active = run_model(self.trainer.model, self.hp, x, self.trainer.input_scale)
        return x, x_hat, f, active

    def matching(self) -> Matching | None:
        if self.data.true_features is None:
            return None
        decoder = self.decoder()
        cos = metrics.cosine_matrix(self.data.true_features, decoder)
        latent, sims = metrics.hungarian_matching(self.data.true_features, decoder)
        matched = set(int(j) for j in latent[latent >= 0])
        order = list(latent[latent >= 0]) + [j for j in range(cos.shape[1]) if j not in matched]
        found, missed = metrics.found_features(sims)
        return Matching(cos[:, order], sims, latent, found, missed, metrics.mcc(self.data.true_features, decoder))

    def trained_model(self, source: str) -> TrainedModel:
        """A copy of the model as it is now, for pages that inspect it while this run may go on."""
        model = build(self.arch, self.data.d, self.latents, seed=self.seed)
        model.load_state_dict(self.trainer.model.state_dict())  # parameters only, no training buffers
        model.eval()
        return TrainedModel(model, replace(self.hp), self.trainer.input_scale, self.data, source)


def _plain(value):
    """A metric as a plain Python number (numpy's scalars are not among what a weights-only load accepts)."""
    if value is None or isinstance(value, (int, str)):
        return value
    return float(value)


@dataclass
class TrainedModel:
    """What the feature explorer needs: a model, how to run it, and the data it belongs to."""

    model: object  # an SAE
    hp: HParams
    input_scale: float  # inputs are multiplied by this before the model sees them (1 for loaded, folded models)
    data: Dataset
    source: str  # where it came from, for people
