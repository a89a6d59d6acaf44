"""The whole state of the "KL vs Jensen–Shannon" page as one frozen object, and the moves that change it.

As in TensorFlow Playground's state.ts, the state round-trips through the URL (`codec.to_query` /
`codec.from_query`), so a link is a preset; a tampered field is reported and replaced by its default.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from sae_core.divergence.measures import FAMILIES, Density, as_distribution
from app_core.state.codec import Choice, format_number, parse_number, url_field

MODES = ("continuous", "discrete")
UNITS = ("nats", "bits")
SHADES = ("kl_pq", "kl_qp", "js")
N_OUTCOMES = 10
LOC_RANGE = (-6.0, 6.0)
SD_RANGE = (0.2, 3.0)
MAX_SEPARATION = LOC_RANGE[1] - LOC_RANGE[0]
_DECIMALS = 4


def _round(x: float) -> float:
    return round(float(x), _DECIMALS)


def normalised_bars(weights) -> tuple[float, ...]:
    """Probabilities to _DECIMALS decimals that sum to 1: rounded down, then the units still missing go to the
    largest remainders. Rounded each to the nearest, they could sum to 0.9999, and normalising them again (as
    reading the page's own URL does) moved a bar by a unit: the link no longer gave the state that wrote it."""
    scale = 10**_DECIMALS
    exact = as_distribution(weights) * scale
    units = np.floor(exact + 1e-9)  # + 1e-9: a bar already on the grid (5733.9999999) keeps its unit
    missing = int(round(scale - units.sum()))
    units[np.argsort(units - exact, kind="stable")[:missing]] += 1
    return tuple(_round(u / scale) for u in units)


@dataclass(frozen=True)
class DensityField:
    """A density in the URL as family,mean,width (e.g. gaussian,0,1), inside the page's ranges."""

    def parse(self, text: str, name: str) -> Density:
        parts = text.split(",")
        if len(parts) != 3:
            raise ValueError(f"{name} must look like family,mean,width (e.g. gaussian,0,1)")
        family = Choice(FAMILIES).parse(parts[0], f"{name}'s family")
        loc = parse_number(parts[1], f"{name}'s mean")
        sd = parse_number(parts[2], f"{name}'s width")
        if not LOC_RANGE[0] <= loc <= LOC_RANGE[1]:
            raise ValueError(f"{name}'s mean must lie in [{LOC_RANGE[0]:g}, {LOC_RANGE[1]:g}]")
        if not SD_RANGE[0] <= sd <= SD_RANGE[1]:
            raise ValueError(f"{name}'s width must lie in [{SD_RANGE[0]:g}, {SD_RANGE[1]:g}]")
        return Density(family, loc, sd)

    def format(self, d: Density) -> str:
        return f"{d.family},{format_number(d.loc)},{format_number(d.sd)}"


@dataclass(frozen=True)
class BarsField:
    """A discrete distribution in the URL as N_OUTCOMES comma-separated weights (normalised on reading)."""

    def parse(self, text: str, name: str) -> tuple[float, ...]:
        parts = text.split(",")
        if len(parts) != N_OUTCOMES:
            raise ValueError(f"{name} needs {N_OUTCOMES} comma-separated probabilities")
        return normalised_bars([parse_number(t, f"a probability in {name}") for t in parts])

    def format(self, bars) -> str:
        return ",".join(format_number(v) for v in bars)


@dataclass(frozen=True)
class KLState:
    mode: str = url_field("mode", Choice(MODES), "continuous")
    units: str = url_field("units", Choice(UNITS), "nats")
    shade: str = url_field("shade", Choice(SHADES), "kl_pq")
    p: Density = url_field("p", DensityField(), Density("gaussian", -1.0, 1.0), label="P")
    q: Density = url_field("q", DensityField(), Density("gaussian", 1.0, 1.5), label="Q")
    p_bars: tuple[float, ...] = url_field("pb", BarsField(), (0.02, 0.05, 0.1, 0.18, 0.25, 0.18, 0.1, 0.07, 0.03, 0.02),
                                          label="P's bars")
    q_bars: tuple[float, ...] = url_field("qb", BarsField(), (0.1,) * N_OUTCOMES, label="Q's bars")

    @property
    def base(self) -> float | None:
        return 2.0 if self.units == "bits" else None

    @property
    def separation(self) -> float:
        """Q's mean minus P's, to the separation slider's precision."""
        return round(self.q.loc - self.p.loc, 2)


def clamp_density(family: str, loc: float, sd: float) -> Density:
    """A density with centre and width forced into the page's ranges (drags may overshoot)."""
    lo, hi = LOC_RANGE
    s_lo, s_hi = SD_RANGE
    return Density(family, _round(min(max(loc, lo), hi)), _round(min(max(sd, s_lo), s_hi)))


def with_separation(state: KLState, separation: float) -> KLState:
    """Move P and Q symmetrically about their midpoint so that Q's mean − P's mean = `separation`,
    shifting the midpoint where needed to keep both means inside the page's range."""
    half = separation / 2
    centre = (state.p.loc + state.q.loc) / 2
    lo, hi = LOC_RANGE
    centre = min(max(centre, lo + abs(half)), hi - abs(half))
    p = clamp_density(state.p.family, centre - half, state.p.sd)
    q = clamp_density(state.q.family, centre + half, state.q.sd)
    return replace(state, p=p, q=q)


def set_probability(probs, index: int, value: float) -> tuple[float, ...]:
    """Set outcome `index` to probability `value` and rescale the others so the total stays 1.

    The others keep their relative sizes; if they are all zero they share the remainder equally.
    The component's JavaScript applies the same rule while a bar is dragged.
    """
    current = list(as_distribution(probs))
    if not 0 <= index < len(current):
        raise ValueError(f"outcome index {index} is out of range 0..{len(current) - 1}")
    value = min(max(float(value), 0.0), 1.0)
    rest = sum(current) - current[index]
    others = len(current) - 1
    new = []
    for i, old in enumerate(current):
        if i == index:
            new.append(value)
        elif rest > 1e-12:
            new.append(old * (1.0 - value) / rest)
        else:
            new.append((1.0 - value) / others if others else 0.0)
    if sum(new) <= 0:  # value 0 with no mass elsewhere: keep the old distribution instead
        return tuple(_round(v) for v in current)
    return normalised_bars(new)


# --- presets --------------------------------------------------------------------------------------

PRESETS: dict[str, str] = {
    "identical": "Identical",
    "shifted": "Slightly shifted",
    "disjoint": "Disjoint supports (KL = ∞)",
    "wide_narrow": "Wide vs narrow (asymmetry)",
}


def apply_preset(state: KLState, name: str) -> KLState:
    """The preset `name` in the state's current mode; units and shading are kept."""
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}")
    bump = (0.02, 0.05, 0.1, 0.18, 0.25, 0.18, 0.1, 0.07, 0.03, 0.02)
    continuous = {
        "identical": (Density("gaussian", 0.0, 1.0), Density("gaussian", 0.0, 1.0)),
        "shifted": (Density("gaussian", -0.5, 1.0), Density("gaussian", 0.5, 1.0)),
        "disjoint": (Density("uniform", -2.5, 0.8), Density("uniform", 2.5, 0.8)),
        "wide_narrow": (Density("gaussian", 0.0, 0.5), Density("gaussian", 0.0, 2.0)),
    }
    discrete = {
        "identical": (bump, bump),
        "shifted": (bump, bump[-1:] + bump[:-1]),
        "disjoint": ((0.2,) * 5 + (0.0,) * 5, (0.0,) * 5 + (0.2,) * 5),
        "wide_narrow": ((0.0, 0.0, 0.0, 0.1, 0.4, 0.4, 0.1, 0.0, 0.0, 0.0), (0.1,) * N_OUTCOMES),
    }
    p, q = continuous[name]
    p_bars, q_bars = discrete[name]
    return replace(state, p=p, q=q, p_bars=normalised_bars(p_bars), q_bars=normalised_bars(q_bars))
