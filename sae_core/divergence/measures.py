"""Divergences between probability distributions: KL and Jensen–Shannon (Bernoulli KL: bernoulli.py).

Discrete distributions are 1-D arrays of non-negative weights (normalised here). Continuous ones are
`Density` objects evaluated on a shared grid; the integrals are trapezoid sums of log-densities, so
tails far from the mass never underflow into a spurious infinity.

All results are in nats unless `base` is given (`base=2` gives bits).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp, rel_entr

LN2 = math.log(2.0)
FAMILIES = ("gaussian", "laplace", "uniform", "mixture")


def _log_base(base: float | None) -> float:
    if base is None:
        return 1.0
    if not (base > 0 and base != 1 and math.isfinite(base)):
        raise ValueError(f"base must be a positive number other than 1, got {base!r}")
    return math.log(base)


def as_distribution(weights, name: str = "distribution") -> np.ndarray:
    """Validate a vector of non-negative weights and scale it to sum to 1.

    weights: [n] array-like. Raises ValueError for NaN/inf, negative entries, wrong rank or all zeros.
    """
    arr = np.asarray(weights, dtype=np.float64)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    if np.any(arr < 0):
        raise ValueError(f"{name} has negative entries; probabilities must be ≥ 0")
    with np.errstate(over="ignore"):
        total = arr.sum()
    if np.isinf(total):  # finite weights near float64's limit (1e308) sum to infinity: scale them down first
        arr = arr / arr.max()
        total = arr.sum()
    if total <= 0:
        raise ValueError(f"{name} is all zeros; at least one outcome needs positive probability")
    return arr / total


def _validated_pair(p, q) -> tuple[np.ndarray, np.ndarray]:
    p_arr = as_distribution(p, "P")
    q_arr = as_distribution(q, "Q")
    if p_arr.shape != q_arr.shape:
        raise ValueError(f"P and Q must have the same number of outcomes, got {p_arr.size} and {q_arr.size}")
    return p_arr, q_arr


def kl_pointwise(p, q) -> np.ndarray:
    """Per-outcome terms p·log(p/q) of KL(P‖Q), in nats. [n] → [n]; inf where q = 0 < p."""
    p_arr, q_arr = _validated_pair(p, q)
    return rel_entr(p_arr, q_arr)


def kl_divergence(p, q, base: float | None = None) -> float:
    """KL(P‖Q) = Σ p·log(p/q) for discrete distributions; inf when Q misses mass that P has."""
    return float(np.sum(kl_pointwise(p, q)) / _log_base(base))


def js_pointwise(p, q) -> np.ndarray:
    """Per-outcome terms of JS(P,Q) = ½KL(P‖M) + ½KL(Q‖M), M = ½(P+Q), in nats. Always finite."""
    p_arr, q_arr = _validated_pair(p, q)
    m = 0.5 * (p_arr + q_arr)
    return 0.5 * (rel_entr(p_arr, m) + rel_entr(q_arr, m))


def js_divergence(p, q, base: float | None = None) -> float:
    """Jensen–Shannon divergence (not its square root); symmetric, 0 ≤ JS ≤ ln 2 nats (1 bit)."""
    value = float(np.sum(js_pointwise(p, q)))
    # Rounding can push identical inputs a hair below zero or disjoint ones a hair past ln 2.
    return min(max(value, 0.0), LN2) / _log_base(base)


def gaussian_kl(mu_p: float, sigma_p: float, mu_q: float, sigma_q: float) -> float:
    """Closed-form KL(N(μp,σp²) ‖ N(μq,σq²)) in nats."""
    if not (sigma_p > 0 and sigma_q > 0):
        raise ValueError(f"standard deviations must be positive, got {sigma_p} and {sigma_q}")
    ratio = sigma_p / sigma_q
    return math.log(sigma_q / sigma_p) + 0.5 * (ratio**2 + ((mu_p - mu_q) / sigma_q) ** 2) - 0.5


# --- continuous distributions -------------------------------------------------------------------


@dataclass(frozen=True)
class Density:
    """A 1-D density given by family, centre `loc` and standard deviation `sd`.

    Every family is parameterised by its standard deviation, which makes "width" mean the same thing
    whichever family is picked. The mixture puts two equal Gaussians at loc ± 0.8·sd, each with
    standard deviation 0.6·sd (total variance sd²).
    """

    family: str = "gaussian"
    loc: float = 0.0
    sd: float = 1.0

    def __post_init__(self):
        if self.family not in FAMILIES:
            raise ValueError(f"unknown family {self.family!r}; choose one of {', '.join(FAMILIES)}")
        if not math.isfinite(self.loc):
            raise ValueError(f"mean must be a finite number, got {self.loc}")
        if not (math.isfinite(self.sd) and self.sd > 0):
            raise ValueError(f"width (standard deviation) must be positive and finite, got {self.sd}")

    def support(self) -> tuple[float, float]:
        """An interval holding all but a negligible (< 1e-30) part of the mass."""
        if self.family == "uniform":
            half = math.sqrt(3.0) * self.sd
            return self.loc - half, self.loc + half
        reach = 16.0 if self.family == "laplace" else 12.0
        return self.loc - reach * self.sd, self.loc + reach * self.sd

    def breakpoints(self) -> tuple[float, ...]:
        """Points where the density has a kink or jump; grids include them exactly."""
        if self.family == "uniform":
            return self.support()
        if self.family == "laplace":
            return (self.loc,)
        return ()

    def logpdf(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        s = self.sd
        if self.family == "gaussian":
            return _gaussian_logpdf(x, self.loc, s)
        if self.family == "laplace":
            b = s / math.sqrt(2.0)
            return -np.abs(x - self.loc) / b - math.log(2.0 * b)
        if self.family == "uniform":
            lo, hi = self.support()
            inside = (x >= lo) & (x <= hi)
            return np.where(inside, -math.log(hi - lo), -np.inf)
        components = [_gaussian_logpdf(x, self.loc + sign * 0.8 * s, 0.6 * s) for sign in (-1.0, 1.0)]
        return logsumexp(np.stack(components), axis=0) - LN2

    def pdf(self, x: np.ndarray) -> np.ndarray:
        return np.exp(self.logpdf(x))


@dataclass(frozen=True)
class GaussianMixture:
    """A weighted sum of Gaussians, with `Density`'s interface (`pdf`, `logpdf`, `support`).

    weights: [k] non-negative (normalised here); means: [k]; sds: [k] positive standard deviations.
    """

    weights: tuple[float, ...]
    means: tuple[float, ...]
    sds: tuple[float, ...]

    def __post_init__(self):
        w, m, s = (np.asarray(v, dtype=np.float64).reshape(-1) for v in (self.weights, self.means, self.sds))
        if not (len(w) == len(m) == len(s) >= 1):
            raise ValueError("weights, means and sds need the same, non-zero length")
        if not (np.all(np.isfinite(m)) and np.all(np.isfinite(s)) and np.all(s > 0)):
            raise ValueError("means must be finite and standard deviations positive")
        object.__setattr__(self, "weights", tuple(as_distribution(w, "weights")))
        object.__setattr__(self, "means", tuple(float(v) for v in m))
        object.__setattr__(self, "sds", tuple(float(v) for v in s))

    def support(self) -> tuple[float, float]:
        return (min(m - 12.0 * s for m, s in zip(self.means, self.sds)),
                max(m + 12.0 * s for m, s in zip(self.means, self.sds)))

    def breakpoints(self) -> tuple[float, ...]:
        return ()

    def logpdf(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        parts = [np.log(w) + _gaussian_logpdf(x, m, s) for w, m, s in zip(self.weights, self.means, self.sds) if w > 0]
        return logsumexp(np.stack(parts), axis=0)

    def pdf(self, x: np.ndarray) -> np.ndarray:
        return np.exp(self.logpdf(x))

    def mean(self) -> float:
        return float(np.dot(self.weights, self.means))

    def sd(self) -> float:
        second = np.dot(self.weights, np.square(self.sds) + np.square(self.means))
        return float(np.sqrt(second - self.mean() ** 2))


def _gaussian_logpdf(x: np.ndarray, mu: float, sigma: float) -> np.ndarray:
    return -0.5 * ((x - mu) / sigma) ** 2 - math.log(sigma * math.sqrt(2.0 * math.pi))


def shared_grid(p: Density, q: Density, points: int = 4001) -> np.ndarray:
    """A grid covering both densities' mass, fine enough for the narrower one.

    Spacing is at most min(sd)/25, so the trapezoid rule on smooth densities is exact to ~1e-9;
    kinks and jumps are placed on grid points.
    """
    lo = min(p.support()[0], q.support()[0])
    hi = max(p.support()[1], q.support()[1])
    needed = int(math.ceil((hi - lo) / (min(p.sd, q.sd) / 25.0))) + 1
    grid = np.linspace(lo, hi, max(points, min(needed, 200_001)))
    extra = [b for b in p.breakpoints() + q.breakpoints() if lo <= b <= hi]
    if extra:
        grid = np.union1d(grid, extra)
    return grid


def _continuous_terms(p: Density, q: Density, grid: np.ndarray):
    log_p, log_q = p.logpdf(grid), q.logpdf(grid)
    dens_p, dens_q = np.exp(log_p), np.exp(log_q)
    with np.errstate(invalid="ignore"):
        kl_pq = np.where(dens_p > 0, dens_p * (log_p - log_q), 0.0)
        kl_qp = np.where(dens_q > 0, dens_q * (log_q - log_p), 0.0)
    log_m = np.logaddexp(log_p, log_q) - LN2
    with np.errstate(invalid="ignore"):
        js = 0.5 * (np.where(dens_p > 0, dens_p * (log_p - log_m), 0.0) + np.where(dens_q > 0, dens_q * (log_q - log_m), 0.0))
    return dens_p, dens_q, kl_pq, kl_qp, js


def _integrate(values: np.ndarray, grid: np.ndarray) -> float:
    if np.any(np.isposinf(values)):
        return math.inf
    return float(np.trapezoid(values, grid))


@dataclass(frozen=True)
class ContinuousComparison:
    """P and Q on a grid with their pointwise divergence densities (nats per unit x)."""

    grid: np.ndarray
    p: np.ndarray
    q: np.ndarray
    kl_pq_terms: np.ndarray
    kl_qp_terms: np.ndarray
    js_terms: np.ndarray
    kl_pq: float
    kl_qp: float
    js: float


def compare_continuous(p: Density, q: Density, points: int = 4001) -> ContinuousComparison:
    """KL(P‖Q), KL(Q‖P) and JS for two densities, in nats, with their pointwise integrands."""
    grid = shared_grid(p, q, points)
    dens_p, dens_q, kl_pq, kl_qp, js = _continuous_terms(p, q, grid)
    js_value = min(max(_integrate(js, grid), 0.0), LN2)
    return ContinuousComparison(
        grid, dens_p, dens_q, kl_pq, kl_qp, js, _integrate(kl_pq, grid), _integrate(kl_qp, grid), js_value
    )


def continuous_kl(p: Density, q: Density, base: float | None = None) -> float:
    """KL(P‖Q) for two densities by numeric integration."""
    return compare_continuous(p, q).kl_pq / _log_base(base)


def continuous_js(p: Density, q: Density, base: float | None = None) -> float:
    """JS(P,Q) for two densities by numeric integration; ≤ ln 2 nats."""
    return compare_continuous(p, q).js / _log_base(base)


@dataclass(frozen=True)
class SeparationSweep:
    """Divergences as Q slides along x relative to P (separation = Q.loc − P.loc)."""

    separations: np.ndarray
    kl_pq: np.ndarray
    kl_qp: np.ndarray
    js: np.ndarray


def separation_sweep(p: Density, q: Density, separations, points: int = 1501) -> SeparationSweep:
    """Recompute all three divergences with Q's centre moved to P.loc + s for each s."""
    seps = np.asarray(separations, dtype=np.float64)
    rows = []
    for s in seps:
        moved = Density(q.family, p.loc + float(s), q.sd)
        c = compare_continuous(p, moved, points)
        rows.append((c.kl_pq, c.kl_qp, c.js))
    arr = np.array(rows, dtype=np.float64).reshape(len(seps), 3)
    return SeparationSweep(seps, arr[:, 0], arr[:, 1], arr[:, 2])
