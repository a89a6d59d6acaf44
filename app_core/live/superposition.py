"""The toy model of superposition as a live job: trained a few steps at a time and pictured between them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app_core.live.job import LiveStatus
from sae_core.superposition.toy_model import ToyModel, ToyModelConfig, reconstruct

EVAL_SAMPLES = 4096
# A feature counts as kept when its column of W has at least this length: a kept feature's column settles
# near length 1 (it is reconstructed through WᵀW), a dropped one's near 0; 0.5 sits between.
KEPT_NORM = 0.5
# Slow enough that the pentagon, which forms within the first few hundred steps, can be watched appearing.
PLAY_STEPS_PER_SECOND = 200


@dataclass(frozen=True)
class ToyModelSnapshot(LiveStatus):
    config: ToyModelConfig
    step: int
    w: np.ndarray  # [d_hidden, n_features]
    b: np.ndarray  # [n_features]
    gram: np.ndarray  # WᵀW [n_features, n_features]
    loss: float  # importance-weighted MSE on fixed evaluation inputs
    curve: tuple[tuple[int, float], ...]  # (step, loss)

    @property
    def norms(self) -> np.ndarray:
        """‖Wᵢ‖ per feature: ~1 kept, ~0 dropped. [n_features]"""
        return np.linalg.norm(self.w, axis=0)

    @property
    def kept(self) -> int:
        return int((self.norms >= KEPT_NORM).sum())

    @property
    def in_superposition(self) -> bool:
        """More features kept than there are dimensions to hold them orthogonally."""
        return self.kept > self.config.d_hidden


class ToyModelRun:
    """A `LiveJob` training `ToyModel(config)` toward `config.steps`."""

    def __init__(self, config: ToyModelConfig, steps_per_second: float | None = PLAY_STEPS_PER_SECOND):
        self.model = ToyModel(config)
        eval_rng = np.random.default_rng(config.seed + 1)  # inputs of their own: the batches stay the model's
        shape = (EVAL_SAMPLES, config.n_features)
        self.eval_x = eval_rng.random(shape) * (eval_rng.random(shape) < config.feature_probability)
        self.steps_per_second = steps_per_second
        self.curve: list[tuple[int, float]] = []

    @property
    def steps(self) -> int:
        return self.model.steps

    def train(self, n: int) -> None:
        self.model.step(n)

    def eval_loss(self) -> float:
        m = self.model
        err = reconstruct(m.w, m.b, self.eval_x) - self.eval_x
        return float((err * err * m.importance).sum(axis=1).mean())

    def snapshot(self) -> ToyModelSnapshot:
        loss = self.eval_loss()
        if not self.curve or self.curve[-1][0] != self.steps:
            self.curve.append((self.steps, loss))
        w, b = self.model.w.copy(), self.model.b.copy()
        return ToyModelSnapshot(config=self.model.cfg, step=self.steps, w=w, b=b, gram=w.T @ w, loss=loss,
                                curve=tuple(self.curve))
