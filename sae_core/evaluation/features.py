"""Per-latent statistics for the Feature explorer: how often each latent fires, how strongly, on what.

f, active: [n, d_sae] activations and firing masks over a dataset.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sae_core.evaluation import metrics

DENSITY_FLOOR = -6.0  # log10 density at which dead latents are drawn
SORTS = {"density": "Most frequent first", "density_asc": "Rarest first", "index": "Latent index",
         "max": "Largest activation first"}


@dataclass(frozen=True)
class FeatureStats:
    density: np.ndarray  # [d_sae] fraction of inputs each latent fires on
    mean_when_firing: np.ndarray  # [d_sae] its mean activation on those inputs (0 if dead)
    max_activation: np.ndarray  # [d_sae]
    dead: int  # latents that fire on none of the inputs
    l0: float  # mean number of latents firing per input
    median_density: float
    histogram: tuple[np.ndarray, np.ndarray]  # counts and edges of log10 density, dead at DENSITY_FLOOR

    @property
    def log_density(self) -> np.ndarray:
        return np.log10(np.maximum(self.density, 10**DENSITY_FLOOR))

    def is_dead(self, j: int) -> bool:
        return bool(self.density[j] == 0)

    def select(self, sort: str, low: float, high: float, hide_dead: bool) -> list[int]:
        """Latents whose log10 density lies in [low, high] (dead ones optionally hidden), in `sort` order."""
        if sort not in SORTS:
            raise ValueError(f"unknown sort {sort!r}; choose one of {', '.join(SORTS)}")
        order = {"density": np.argsort(-self.density, kind="stable"),
                 "density_asc": np.argsort(self.density, kind="stable"),
                 "index": np.arange(len(self.density)),
                 "max": np.argsort(-self.max_activation, kind="stable")}[sort]
        logd = self.log_density
        keep = (logd >= low) & (logd <= high)
        if hide_dead:
            keep &= self.density > 0
        return [int(j) for j in order if keep[j]]


def feature_stats(f: np.ndarray, active: np.ndarray) -> FeatureStats:
    density = metrics.feature_density(active)
    fired = active.sum(axis=0)
    firing_sum = np.where(active, f, 0).sum(axis=0)
    mean_when_firing = np.divide(firing_sum, fired, out=np.zeros_like(firing_sum, dtype=np.float64),
                                 where=fired > 0)
    return FeatureStats(
        density=density, mean_when_firing=mean_when_firing, max_activation=f.max(axis=0),
        dead=int((density == 0).sum()), l0=metrics.l0(active), median_density=float(np.median(density)),
        histogram=metrics.log_density_histogram(active, floor=DENSITY_FLOOR),
    )


def top_activations(f: np.ndarray, j: int, n: int = 12) -> tuple[np.ndarray, np.ndarray]:
    """The (up to) `n` inputs on which latent j is largest and positive: their indices and activations."""
    top = np.argsort(-f[:, j], kind="stable")[:n]
    top = top[f[top, j] > 0]
    return top, f[top, j]


def firing_values(f: np.ndarray, active: np.ndarray, j: int) -> np.ndarray:
    """Latent j's activations on the inputs where it fires."""
    return f[active[:, j], j]
