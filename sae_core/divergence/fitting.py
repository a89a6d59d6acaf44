"""Divergence as a loss: fit one Gaussian Q = N(μ, σ²) to a target P by gradient steps.

Forward KL(P‖Q) = E_P[log p − log q] is mass-covering: its minimum is moment matching (Q takes P's mean and
standard deviation), so with two separated modes Q settles between them. Reverse KL(Q‖P) = E_Q[log q − log p]
is mode-seeking: Q is punished wherever it puts mass that P lacks, so it locks onto one mode — which one
depends on where it starts. JS(P, Q) = ½KL(P‖M) + ½KL(Q‖M), M = ½(P + Q), sits between and stays finite.

Integrals are sums on a grid covering P and the start. The gradients in θ = (μ, log σ) are exact for those
sums and short, so they are written out in numpy (no torch: the page that animates a fit never loads it):
with s = ∂log q/∂θ = ((x − μ)/σ², ((x − μ)/σ)² − 1),
    forward  ∂KL(P‖Q) = −Σ p·s dx
    reverse  ∂KL(Q‖P) =  Σ q·s·(log q − log p + 1) dx
    js       ∂JS      =  ½ Σ q·s·(log q − log m) dx      (the terms through m cancel).
θ follows Adam with a cosine-decayed step size, and every step's (μ, σ) is kept so a page can draw the path.
"""

from __future__ import annotations

import math

import numpy as np

from sae_core.divergence.measures import Density, GaussianMixture

DIRECTIONS = ("forward", "reverse", "js")
DEFAULT_STEPS = 400
GRID_POINTS = 2001
LOG_FLOOR = -1e4  # log p where p underflows: finite, so reverse KL stays a (very large) number
# Adam's second-moment memory is short (β₂ = 0.9, not the usual 0.999): a narrow start has gradients
# hundreds of times larger than those near the optimum, and a long memory of them shrank every later step —
# forward KL from (μ₀, σ₀) = (−6, 0.3) stopped 3.7 short of moment matching in 400 steps. And the step size
# starts at 0.1: at 0.05 the decaying steps could not carry θ across the page's range (12 of 405 forward
# fits — 27 targets × 15 starts — ended over 1e-3 from moment matching); at 0.1 none did (worst 1.6e-4).
BETAS, EPS = (0.9, 0.9), 1e-8
LEARNING_RATE = 0.1


def _grid(target, mu: float, sigma: float) -> np.ndarray:
    lo, hi = target.support()
    lo, hi = min(lo, mu - 10 * sigma), max(hi, mu + 10 * sigma)
    return np.linspace(lo, hi, GRID_POINTS)


def grid_divergence(log_p: np.ndarray, log_q: np.ndarray, dx: float, direction: str) -> np.ndarray:
    """The divergence `direction` between P and Q from their log-densities on an even grid (the last axis),
    in nats; leading axes broadcast (one value per Q of a batch). [...]"""
    if direction == "forward":
        return (np.exp(log_p) * (log_p - log_q)).sum(axis=-1) * dx
    if direction == "reverse":
        return (np.exp(log_q) * (log_q - log_p)).sum(axis=-1) * dx
    log_m = np.logaddexp(log_p, log_q) - math.log(2)
    return 0.5 * ((np.exp(log_p) * (log_p - log_m)).sum(axis=-1) + (np.exp(log_q) * (log_q - log_m)).sum(axis=-1)) * dx


class GaussianFit:
    """A fit in progress: `step(n)` takes n Adam steps; `mu`, `sigma`, `loss()` and `path` read it.

    The step size decays from `lr` to lr/100 over `steps` steps (cosine); past that it stays at lr/100.
    """

    def __init__(self, target: Density | GaussianMixture, direction: str, init: tuple[float, float] = (0.0, 1.0),
                 steps: int = DEFAULT_STEPS, lr: float = LEARNING_RATE):
        if direction not in DIRECTIONS:
            raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, got {direction!r}")
        mu0, sigma0 = float(init[0]), float(init[1])
        if not (math.isfinite(mu0) and math.isfinite(sigma0) and sigma0 > 0):
            raise ValueError("the start needs a finite mean and a positive standard deviation")
        self.direction, self.total_steps, self.lr = direction, max(1, int(steps)), lr
        self.grid = _grid(target, mu0, sigma0)
        self.dx = self.grid[1] - self.grid[0]
        self.log_p = np.maximum(target.logpdf(self.grid), LOG_FLOOR)
        self.p = np.exp(self.log_p)
        self.min_log_sigma = math.log(3 * self.dx)  # narrower than the grid can resolve is meaningless
        self.theta = np.array([mu0, max(math.log(sigma0), self.min_log_sigma)])
        self._m, self._v = np.zeros(2), np.zeros(2)
        self.steps = 0
        self.path: list[tuple[float, float]] = [(mu0, sigma0)]

    @property
    def mu(self) -> float:
        return float(self.theta[0])

    @property
    def sigma(self) -> float:
        return float(math.exp(self.theta[1]))

    def _log_q(self) -> np.ndarray:
        z = (self.grid - self.theta[0]) / math.exp(self.theta[1])
        return -0.5 * z * z - self.theta[1] - 0.5 * math.log(2 * math.pi)

    def loss(self) -> float:
        """The divergence being minimised, at the current (μ, σ), in nats."""
        return float(grid_divergence(self.log_p, self._log_q(), self.dx, self.direction))

    def gradient(self) -> np.ndarray:
        """∂loss/∂(μ, log σ). [2]"""
        sigma = math.exp(self.theta[1])
        z = (self.grid - self.theta[0]) / sigma
        score = np.stack([z / sigma, z * z - 1.0])  # ∂log q/∂θ [2, grid]
        log_q = -0.5 * z * z - self.theta[1] - 0.5 * math.log(2 * math.pi)
        q = np.exp(log_q)
        if self.direction == "forward":
            weight = -self.p
        elif self.direction == "reverse":
            weight = q * (log_q - self.log_p + 1.0)
        else:
            weight = 0.5 * q * (log_q - np.logaddexp(self.log_p, log_q) + math.log(2))
        return (score * weight).sum(axis=1) * self.dx

    def step(self, n: int = 1) -> None:
        b1, b2 = BETAS
        for _ in range(n):
            g = self.gradient()
            progress = min(self.steps, self.total_steps) / self.total_steps
            lr = self.lr * (0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * progress)))
            self.steps += 1
            self._m = b1 * self._m + (1 - b1) * g
            self._v = b2 * self._v + (1 - b2) * g * g
            m_hat, v_hat = self._m / (1 - b1 ** self.steps), self._v / (1 - b2 ** self.steps)
            self.theta = self.theta - lr * m_hat / (np.sqrt(v_hat) + EPS)
            self.theta[1] = max(self.theta[1], self.min_log_sigma)
            self.path.append((self.mu, self.sigma))


def fit_gaussian(target: Density | GaussianMixture, direction: str, init: tuple[float, float] = (0.0, 1.0),
                 steps: int | None = None, lr: float = LEARNING_RATE) -> tuple[float, float, list[tuple[float, float]]]:
    """Fit N(μ, σ²) to `target` by minimising the divergence in `direction` ("forward", "reverse", "js").

    Returns (μ, σ, path) with path [(μ, σ) at the start and after every step].
    """
    steps = DEFAULT_STEPS if steps is None else int(steps)
    fit = GaussianFit(target, direction, init, steps=steps, lr=lr)
    fit.step(steps)
    return fit.mu, fit.sigma, fit.path
