"""Divergence as a loss: fit one Gaussian Q = N(μ, σ²) to a target P by gradient steps.

Forward KL(P‖Q) = E_P[log p − log q] is mass-covering: its minimum is moment matching (Q takes P's mean and
standard deviation), so with two separated modes Q settles between them. Reverse KL(Q‖P) = E_Q[log q − log p]
is mode-seeking: Q is punished wherever it puts mass that P lacks, so it locks onto one mode — which one
depends on where it starts. JS(P, Q) = ½KL(P‖M) + ½KL(Q‖M), M = ½(P + Q), sits between and stays finite.

Integrals are sums on a grid covering P and the start, evaluated in float64 torch so the gradients come from
autograd; (μ, log σ) follow Adam, and every step's (μ, σ) is kept so a page can animate the path.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from .measures import Density, GaussianMixture

DIRECTIONS = ("forward", "reverse", "js")
DEFAULT_STEPS = 400
GRID_POINTS = 2001


def _grid(target, mu: float, sigma: float) -> np.ndarray:
    lo, hi = target.support()
    lo, hi = min(lo, mu - 10 * sigma), max(hi, mu + 10 * sigma)
    return np.linspace(lo, hi, GRID_POINTS)


def loss(target_logp: torch.Tensor, grid: torch.Tensor, mu: torch.Tensor, log_sigma: torch.Tensor,
         direction: str) -> torch.Tensor:
    """The divergence between P (its log-density on `grid`) and N(μ, σ²), by the trapezoid-free grid sum."""
    dx = grid[1] - grid[0]
    sigma = log_sigma.exp()
    log_q = -0.5 * ((grid - mu) / sigma) ** 2 - log_sigma - 0.5 * math.log(2 * math.pi)
    p, q = target_logp.exp(), log_q.exp()
    if direction == "forward":
        return (p * (target_logp - log_q)).sum() * dx
    if direction == "reverse":
        return (q * (log_q - target_logp.clamp_min(-1e4))).sum() * dx
    log_m = torch.logaddexp(target_logp, log_q) - math.log(2)
    return 0.5 * ((p * (target_logp - log_m)).sum() + (q * (log_q - log_m)).sum()) * dx


def fit_gaussian(target: Density | GaussianMixture, direction: str, init: tuple[float, float] = (0.0, 1.0),
                 steps: int | None = None, lr: float = 0.05) -> tuple[float, float, list[tuple[float, float]]]:
    """Fit N(μ, σ²) to `target` by minimising the divergence in `direction` ("forward", "reverse", "js").

    Returns (μ, σ, path) with path [(μ, σ) at the start and after every step].
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, got {direction!r}")
    mu0, sigma0 = float(init[0]), float(init[1])
    if not (math.isfinite(mu0) and math.isfinite(sigma0) and sigma0 > 0):
        raise ValueError("the start needs a finite mean and a positive standard deviation")
    steps = DEFAULT_STEPS if steps is None else int(steps)
    grid_np = _grid(target, mu0, sigma0)
    grid = torch.as_tensor(grid_np, dtype=torch.float64)
    target_logp = torch.as_tensor(np.maximum(target.logpdf(grid_np), -1e4), dtype=torch.float64)
    min_log_sigma = math.log(3 * (grid_np[1] - grid_np[0]))  # narrower than the grid can resolve is meaningless
    mu = torch.tensor(mu0, dtype=torch.float64, requires_grad=True)
    log_sigma = torch.tensor(max(math.log(sigma0), min_log_sigma), dtype=torch.float64, requires_grad=True)
    optim = torch.optim.Adam([mu, log_sigma], lr=lr)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optim, T_max=max(1, steps), eta_min=lr * 0.01)
    path = [(mu0, sigma0)]
    for _ in range(steps):
        optim.zero_grad()
        loss(target_logp, grid, mu, log_sigma, direction).backward()
        optim.step()
        schedule.step()
        with torch.no_grad():
            log_sigma.clamp_(min=min_log_sigma)
        path.append((float(mu.detach()), float(log_sigma.detach().exp())))
    return path[-1][0], path[-1][1], path
