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


class ToyModel:
    """The toy model in training: `step(n)` takes n Adam steps on fresh batches; `w`, `b`, `loss` read it.

    Gradients are written out (the model is two small matrix products and a ReLU), in numpy: a page
    animating it never loads torch, and at these sizes numpy's per-call cost is a fraction of torch's.
    With h = xWᵀ, z = hW + b, x′ = ReLU(z) and g = ∂L/∂z = 2·I·(x′ − x)·[z > 0]/batch:
    ∂L/∂b = Σ g,  ∂L/∂W = hᵀg + (gWᵀ)ᵀx.
    """

    def __init__(self, cfg: ToyModelConfig):
        cfg.validate()
        self.cfg = cfg
        self.rng = np.random.default_rng(cfg.seed)
        n, m = cfg.n_features, cfg.d_hidden
        self.w = self.rng.standard_normal((m, n)) * (2.0 / (m + n)) ** 0.5
        self.b = np.zeros(n)
        self.importance = cfg.importance_decay ** np.arange(n, dtype=np.float64)
        self._adam = [np.zeros_like(self.w), np.zeros_like(self.w), np.zeros_like(self.b), np.zeros_like(self.b)]
        self.steps = 0
        self.loss = float("nan")  # importance-weighted MSE of the last batch

    def batch(self) -> np.ndarray:
        """Each feature present with probability p, then uniform on [0, 1]. [batch, n]"""
        shape = (self.cfg.batch, self.cfg.n_features)
        return self.rng.random(shape) * (self.rng.random(shape) < self.cfg.feature_probability)

    def step(self, n: int = 1) -> None:
        b1, b2 = 0.9, 0.999
        for _ in range(n):
            x = self.batch()
            h = x @ self.w.T
            z = h @ self.w + self.b
            err = np.maximum(z, 0.0) - x
            self.loss = float((err * err * self.importance).sum(axis=1).mean())
            g = 2.0 * self.importance * err * (z > 0) / len(x)
            grads = (h.T @ g + (g @ self.w.T).T @ x, g.sum(axis=0))
            self.steps += 1
            for param, grad, m, v in ((self.w, grads[0], *self._adam[:2]), (self.b, grads[1], *self._adam[2:])):
                m *= b1
                m += (1 - b1) * grad
                v *= b2
                v += (1 - b2) * grad * grad
                param -= self.cfg.lr * (m / (1 - b1 ** self.steps)) / (np.sqrt(v / (1 - b2 ** self.steps)) + 1e-8)


def train_toy_model(n_features: int = 5, d_hidden: int = 2, feature_probability: float = 0.05,
                    importance_decay: float = 0.9, steps: int | None = None, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Train the toy model; returns (W [d_hidden, n_features], b [n_features])."""
    cfg = ToyModelConfig(n_features, d_hidden, feature_probability, importance_decay,
                         DEFAULT_STEPS if steps is None else steps, seed=seed)
    model = ToyModel(cfg)
    model.step(cfg.steps)
    return model.w.copy(), model.b.copy()


def reconstruct(w: np.ndarray, b: np.ndarray, x: np.ndarray) -> np.ndarray:
    """x′ = ReLU(x·WᵀW + b) for inputs x [batch, n]."""
    return np.maximum(x @ w.T @ w + b, 0.0)
