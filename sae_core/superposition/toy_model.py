"""n sparse features squeezed into m < n hidden dimensions: x′ = ReLU(WᵀW·x + b), importance-weighted MSE.

Elhage et al. (2022), "Toy Models of Superposition". Each feature is non-zero with probability p, then
uniform on [0, 1]; feature i matters importance_decay**i as much as feature 0. Dense features (p = 1):
the model keeps the m most important, orthogonal, and drops the rest. Sparse enough, it stores all n in
superposition — with n = 5, m = 2, the columns of W form a pentagon — because two features rarely fire
together, and the ReLU with a negative bias filters the small interference when one does.

Shapes: x [batch, n]; W [m, n]; b [n].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

DEFAULT_STEPS = 1500


@dataclass(frozen=True)
class ToyModelConfig:
    n_features: int = 5
    d_hidden: int = 2
    feature_probability: float = 0.05
    importance_decay: float = 0.9
    steps: int = DEFAULT_STEPS
    batch: int = 256
    lr: float = 2e-2
    seed: int = 0

    def validate(self) -> None:
        if not 1 <= self.d_hidden <= self.n_features <= 64:
            raise ValueError("need 1 ≤ hidden dimensions ≤ features ≤ 64")
        if not 0 < self.feature_probability <= 1:
            raise ValueError("feature probability must lie in (0, 1]")
        if not 0 < self.importance_decay <= 1:
            raise ValueError("importance decay must lie in (0, 1]")
        if self.steps < 1:
            raise ValueError("steps must be at least 1")


def _batch(cfg: ToyModelConfig, gen: torch.Generator) -> torch.Tensor:
    shape = (cfg.batch, cfg.n_features)
    values = torch.rand(shape, generator=gen)
    return values * (torch.rand(shape, generator=gen) < cfg.feature_probability)


def train_toy_model(n_features: int = 5, d_hidden: int = 2, feature_probability: float = 0.05,
                    importance_decay: float = 0.9, steps: int | None = None, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Train the toy model; returns (W [d_hidden, n_features], b [n_features])."""
    cfg = ToyModelConfig(n_features, d_hidden, feature_probability, importance_decay,
                         DEFAULT_STEPS if steps is None else steps, seed=seed)
    cfg.validate()
    gen = torch.Generator().manual_seed(seed)
    w = torch.nn.Parameter(torch.randn(d_hidden, n_features, generator=gen) * (2.0 / (d_hidden + n_features)) ** 0.5)
    b = torch.nn.Parameter(torch.zeros(n_features))
    importance = importance_decay ** torch.arange(n_features, dtype=torch.float32)
    optim = torch.optim.Adam([w, b], lr=cfg.lr)
    for _ in range(cfg.steps):
        x = _batch(cfg, gen)
        x_hat = torch.relu(x @ w.T @ w + b)
        loss = ((x - x_hat) ** 2 * importance).sum(dim=1).mean()
        optim.zero_grad()
        loss.backward()
        optim.step()
    return w.detach().numpy().copy(), b.detach().numpy().copy()


def reconstruct(w: np.ndarray, b: np.ndarray, x: np.ndarray) -> np.ndarray:
    """x′ = ReLU(x·WᵀW + b) for inputs x [batch, n]."""
    return np.maximum(x @ w.T @ w + b, 0.0)
