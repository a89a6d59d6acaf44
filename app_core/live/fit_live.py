"""A Gaussian fit as a live job (animated on the "KL as a loss" page), and the loss landscape it descends."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from app_core.live.job import LiveStatus
from sae_core.divergence.fitting import DEFAULT_STEPS, GaussianFit, grid_divergence
from sae_core.divergence.measures import Density, GaussianMixture

# Slow enough to follow Q as it slides, quick enough for a talk.
PLAY_STEPS_PER_SECOND = 80
LANDSCAPE_POINTS = 501  # the x-grid for the landscape: coarser than the fit's, still smooth at this scale


@dataclass(frozen=True)
class FitSnapshot(LiveStatus):
    direction: str
    step: int
    total_steps: int
    mu: float
    sigma: float
    loss: float  # the divergence minimised, in nats
    path: tuple[tuple[float, float], ...]  # (μ, σ) at the start and after every step


class FitRun:
    """A `LiveJob` fitting N(μ, σ²) to `target` in `direction` from `init`."""

    def __init__(self, target: Density | GaussianMixture, direction: str, init: tuple[float, float],
                 steps: int = DEFAULT_STEPS, steps_per_second: float | None = PLAY_STEPS_PER_SECOND):
        self.fit = GaussianFit(target, direction, init, steps=steps)
        self.steps_per_second = steps_per_second

    @property
    def steps(self) -> int:
        return self.fit.steps

    def train(self, n: int) -> None:
        self.fit.step(n)

    def snapshot(self) -> FitSnapshot:
        f = self.fit
        return FitSnapshot(direction=f.direction, step=f.steps, total_steps=f.total_steps, mu=f.mu, sigma=f.sigma,
                           loss=f.loss(), path=tuple(f.path))


@dataclass(frozen=True)
class Landscape:
    """The divergence over a grid of (μ, σ), σ spaced evenly in log σ. mus: [a]; sigmas: [b]; loss: [b, a]"""

    mus: np.ndarray
    sigmas: np.ndarray
    loss: np.ndarray


def loss_landscape(target: Density | GaussianMixture, direction: str, mu_range: tuple[float, float],
                   sigma_range: tuple[float, float], points: tuple[int, int] = (61, 41)) -> Landscape:
    """The divergence `direction` between `target` and every N(μ, σ²) of the grid, in nats."""
    mus = np.linspace(*mu_range, points[0])
    sigmas = np.exp(np.linspace(math.log(sigma_range[0]), math.log(sigma_range[1]), points[1]))
    lo, hi = target.support()
    x = np.linspace(min(lo, mu_range[0] - 6 * sigma_range[1]), max(hi, mu_range[1] + 6 * sigma_range[1]),
                    LANDSCAPE_POINTS)
    dx = x[1] - x[0]
    log_p = np.maximum(target.logpdf(x), -1e4)
    z = (x[None, None, :] - mus[None, :, None]) / sigmas[:, None, None]  # [b, a, x]
    log_q = -0.5 * z * z - np.log(sigmas)[:, None, None] - 0.5 * math.log(2 * math.pi)
    return Landscape(mus, sigmas, grid_divergence(log_p, log_q, dx, direction))


@functools.lru_cache(maxsize=256)  # 20 kB each; the KL-as-a-loss target slider's frames add ~4 a move
def cached_landscape(target: Density | GaussianMixture, direction: str, mu_range: tuple[float, float],
                     sigma_range: tuple[float, float]) -> Landscape:
    """`loss_landscape`, kept per target and direction: moving only the start (or playing) costs nothing,
    and every visitor on the default target shares one (40–100 ms each to compute on 2 cores)."""
    return loss_landscape(target, direction, mu_range, sigma_range)
