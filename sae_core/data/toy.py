"""Toy data in superposition: more sparse features than dimensions, with the true directions known."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAGNITUDES = ("uniform", "exponential", "constant")


@dataclass(frozen=True)
class ToyConfig:
    n_features: int = 64
    d: int = 32
    n_samples: int = 20_000
    feature_prob: float = 0.05  # firing probability of the first (most frequent) feature
    prob_decay: float = 1.0  # feature i fires with feature_prob · prob_decay**i
    importance_decay: float = 1.0  # feature i's magnitude is scaled by importance_decay**i
    magnitude: str = "uniform"  # "uniform" on [0, 2] (mean 1), "exponential" (mean 1) or "constant" 1
    correlated_groups: int = 0  # features 0..(groups·group_size−1) fire together in groups
    group_size: int = 2
    noise: float = 0.0  # standard deviation of isotropic Gaussian noise added to x
    seed: int = 0

    def validate(self) -> None:
        if self.n_features < 1 or self.d < 1 or self.n_samples < 1:
            raise ValueError("n_features, d and n_samples must be positive")
        if not 0 < self.feature_prob <= 1:
            raise ValueError(f"feature_prob must lie in (0, 1], got {self.feature_prob}")
        if not (0 < self.prob_decay <= 1 and 0 < self.importance_decay <= 1):
            raise ValueError("prob_decay and importance_decay must lie in (0, 1]")
        if self.magnitude not in MAGNITUDES:
            raise ValueError(f"magnitude must be one of {', '.join(MAGNITUDES)}")
        if self.correlated_groups * self.group_size > self.n_features:
            raise ValueError("correlated groups need more features than n_features provides")
        if self.noise < 0:
            raise ValueError("noise must be ≥ 0")


@dataclass(frozen=True)
class ToyData:
    x: np.ndarray  # [n_samples, d] float32
    features: np.ndarray  # [n_features, d] unit rows: the ground-truth directions
    activations: np.ndarray  # [n_samples, n_features] true coefficients (sparse)


def make_toy(cfg: ToyConfig = ToyConfig()) -> ToyData:
    """Samples x = Σᵢ aᵢ·featureᵢ (+ noise), each aᵢ non-zero independently with its own probability."""
    cfg.validate()
    rng = np.random.default_rng(cfg.seed)
    features = rng.standard_normal((cfg.n_features, cfg.d))
    features /= np.linalg.norm(features, axis=1, keepdims=True)
    idx = np.arange(cfg.n_features)
    probs = cfg.feature_prob * cfg.prob_decay**idx
    fires = rng.random((cfg.n_samples, cfg.n_features)) < probs
    for g in range(cfg.correlated_groups):
        members = slice(g * cfg.group_size, (g + 1) * cfg.group_size)
        leader = fires[:, g * cfg.group_size]
        fires[:, members] = leader[:, None]
    if cfg.magnitude == "uniform":
        mags = rng.uniform(0.0, 2.0, fires.shape)
    elif cfg.magnitude == "exponential":
        mags = rng.exponential(1.0, fires.shape)
    else:
        mags = np.ones(fires.shape)
    acts = np.where(fires, mags * cfg.importance_decay**idx, 0.0)
    x = acts @ features
    if cfg.noise > 0:
        x = x + cfg.noise * rng.standard_normal(x.shape)
    return ToyData(x.astype(np.float32), features.astype(np.float32), acts.astype(np.float32))
