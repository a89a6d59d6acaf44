"""What the KL vs Jensen–Shannon page reads off its state: the three numbers, why one is infinite, the sweep."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from app_core.state.kl import MAX_SEPARATION, KLState
from sae_core.divergence.measures import LN2, Density, SeparationSweep, compare_continuous, js_divergence, kl_divergence, separation_sweep

SWEEP_POINTS = 97


@dataclass(frozen=True)
class Divergences:
    """The page's three headline numbers, in the state's units."""

    kl_pq: float
    kl_qp: float
    js: float
    js_ceiling: float


def unit_factor(units: str) -> float:
    """Multiply nats by this to express them in `units` ("nats" or "bits")."""
    return 1.0 / math.log(2.0) if units == "bits" else 1.0


def divergences(state: KLState) -> Divergences:
    """KL(P‖Q), KL(Q‖P) and JS for the current mode, computed by scipy-backed sae_core code."""
    factor = unit_factor(state.units)
    ceiling = LN2 * factor
    if state.mode == "discrete":
        return Divergences(
            kl_divergence(state.p_bars, state.q_bars, state.base),
            kl_divergence(state.q_bars, state.p_bars, state.base),
            js_divergence(state.p_bars, state.q_bars, state.base),
            ceiling,
        )
    c = compare_continuous(state.p, state.q)
    return Divergences(c.kl_pq * factor, c.kl_qp * factor, c.js * factor, ceiling)


def infinity_reasons(state: KLState) -> list[str]:
    """Plain-language reasons why KL is infinite in either direction (empty when both are finite)."""
    reasons = []
    for first, second, a, b, da, db in (
        ("P", "Q", state.p_bars, state.q_bars, state.p, state.q),
        ("Q", "P", state.q_bars, state.p_bars, state.q, state.p),
    ):
        if state.mode == "discrete":
            missing = [str(i) for i, (x, y) in enumerate(zip(a, b)) if x > 0 and y == 0]
            if missing:
                reasons.append(
                    f"KL({first}‖{second}) = ∞ because {second} gives probability 0 to outcome"
                    f"{'s' if len(missing) > 1 else ''} {', '.join(missing)}, which {first} says can happen: "
                    f"a code built for {second} has no codeword for something that happens under {first}."
                )
        else:
            c = compare_continuous(da, db, points=801)
            if math.isinf(c.kl_pq):
                inside = c.grid[(c.p > 0) & (c.q == 0)]
                reasons.append(
                    f"KL({first}‖{second}) = ∞ because {second}'s density is 0 on "
                    f"[{inside.min():.2f}, {inside.max():.2f}], where {first} has mass."
                )
    return reasons


def separation_curves(p_family: str, p_sd: float, q_family: str, q_sd: float) -> SeparationSweep:
    """All three divergences as Q's mean slides across the page's whole range relative to P's.

    Divergences are shift-invariant, so only the families and widths matter: callers can cache on them.
    """
    seps = np.round(np.linspace(-MAX_SEPARATION, MAX_SEPARATION, SWEEP_POINTS), 4)
    return separation_sweep(Density(p_family, 0.0, p_sd), Density(q_family, 0.0, q_sd), seps)
