"""The whole state of the "KL vs Jensen–Shannon" page as one serialisable object.

As in TensorFlow Playground's state.ts, the page state round-trips through the URL, so a link is a
preset. Parsing is strict: a tampered field is reported and replaced by its default, never trusted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from .divergence import FAMILIES, LN2, Density, as_distribution, compare_continuous, js_divergence, kl_divergence

MODES = ("continuous", "discrete")
UNITS = ("nats", "bits")
SHADES = ("kl_pq", "kl_qp", "js")
N_OUTCOMES = 10
LOC_RANGE = (-6.0, 6.0)
SCALE_RANGE = (0.2, 3.0)
MAX_SEPARATION = 10.0
_DECIMALS = 4


def _round(x: float) -> float:
    return round(float(x), _DECIMALS)


def _normalised(weights) -> tuple[float, ...]:
    probs = as_distribution(weights)
    return tuple(_round(v) for v in probs)


@dataclass(frozen=True)
class KLViewState:
    mode: str = "continuous"
    units: str = "nats"
    shade: str = "kl_pq"
    p: Density = Density("gaussian", -1.0, 1.0)
    q: Density = Density("gaussian", 1.0, 1.5)
    p_bars: tuple[float, ...] = (0.02, 0.05, 0.1, 0.18, 0.25, 0.18, 0.1, 0.07, 0.03, 0.02)
    q_bars: tuple[float, ...] = field(default=(0.1,) * N_OUTCOMES)

    @property
    def base(self) -> float | None:
        return 2.0 if self.units == "bits" else None


def clamp_density(family: str, loc: float, scale: float) -> Density:
    """A density with centre and width forced into the page's ranges (drags may overshoot)."""
    lo, hi = LOC_RANGE
    s_lo, s_hi = SCALE_RANGE
    return Density(family, _round(min(max(loc, lo), hi)), _round(min(max(scale, s_lo), s_hi)))


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
    return _normalised(new)


# --- presets --------------------------------------------------------------------------------------

PRESETS: dict[str, str] = {
    "identical": "Identical",
    "shifted": "Slightly shifted",
    "disjoint": "Disjoint supports (KL = ∞)",
    "wide_narrow": "Wide vs narrow (asymmetry)",
}


def apply_preset(state: KLViewState, name: str) -> KLViewState:
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
    return replace(state, p=p, q=q, p_bars=_normalised(p_bars), q_bars=_normalised(q_bars))


# --- URL round trip -------------------------------------------------------------------------------


def _density_text(d: Density) -> str:
    return f"{d.family},{d.loc:g},{d.scale:g}"


def _bars_text(bars) -> str:
    return ",".join(f"{v:g}" for v in bars)


def to_query(state: KLViewState) -> dict[str, str]:
    """The state as URL query parameters (strings only)."""
    return {
        "mode": state.mode,
        "units": state.units,
        "shade": state.shade,
        "p": _density_text(state.p),
        "q": _density_text(state.q),
        "pb": _bars_text(state.p_bars),
        "qb": _bars_text(state.q_bars),
    }


def _parse_choice(text: str, allowed: tuple[str, ...], what: str) -> str:
    if text not in allowed:
        raise ValueError(f"{what} must be one of {', '.join(allowed)}")
    return text


def _parse_float(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{what} {text!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{what} must be finite")
    return value


def _parse_density(text: str, name: str) -> Density:
    parts = text.split(",")
    if len(parts) != 3:
        raise ValueError(f"{name} must look like family,mean,width (e.g. gaussian,0,1)")
    family = _parse_choice(parts[0], FAMILIES, f"{name}'s family")
    loc = _parse_float(parts[1], f"{name}'s mean")
    scale = _parse_float(parts[2], f"{name}'s width")
    if not LOC_RANGE[0] <= loc <= LOC_RANGE[1]:
        raise ValueError(f"{name}'s mean must lie in [{LOC_RANGE[0]:g}, {LOC_RANGE[1]:g}]")
    if not SCALE_RANGE[0] <= scale <= SCALE_RANGE[1]:
        raise ValueError(f"{name}'s width must lie in [{SCALE_RANGE[0]:g}, {SCALE_RANGE[1]:g}]")
    return Density(family, loc, scale)


def _parse_bars(text: str, name: str) -> tuple[float, ...]:
    parts = text.split(",")
    if len(parts) != N_OUTCOMES:
        raise ValueError(f"{name} needs {N_OUTCOMES} comma-separated probabilities")
    return _normalised([_parse_float(t, f"a probability in {name}") for t in parts])


def from_query(params: dict[str, str]) -> tuple[KLViewState, list[str]]:
    """Parse URL parameters; returns the state and one message per field that was rejected.

    Missing fields take their defaults silently; malformed ones take their defaults with a message.
    """
    state = KLViewState()
    problems: list[str] = []
    parsers = {
        "mode": ("mode", lambda t: _parse_choice(t, MODES, "mode")),
        "units": ("units", lambda t: _parse_choice(t, UNITS, "units")),
        "shade": ("shade", lambda t: _parse_choice(t, SHADES, "shade")),
        "p": ("p", lambda t: _parse_density(t, "P")),
        "q": ("q", lambda t: _parse_density(t, "Q")),
        "pb": ("p_bars", lambda t: _parse_bars(t, "P's bars")),
        "qb": ("q_bars", lambda t: _parse_bars(t, "Q's bars")),
    }
    for param, (attr, parse) in parsers.items():
        if param not in params:
            continue
        try:
            state = replace(state, **{attr: parse(str(params[param]))})
        except ValueError as err:
            problems.append(f"URL parameter '{param}' ignored: {err}.")
    return state, problems


def from_canvas(state: KLViewState, value) -> KLViewState:
    """Merge what the drag canvas sent (`{mode, p, q, pBars, qBars}`) into `state`, validated.

    Out-of-range positions are clamped (a fast drag can overshoot); anything malformed raises
    ValueError and leaves the caller's state untouched.
    """
    if not isinstance(value, dict):
        raise ValueError("the canvas sent no distributions")
    try:
        p = clamp_density(value["p"]["family"], float(value["p"]["loc"]), float(value["p"]["scale"]))
        q = clamp_density(value["q"]["family"], float(value["q"]["loc"]), float(value["q"]["scale"]))
        p_bars = _normalised([float(v) for v in value["pBars"]])
        q_bars = _normalised([float(v) for v in value["qBars"]])
    except (KeyError, TypeError) as err:
        raise ValueError(f"the canvas sent a malformed state ({err})") from None
    if len(p_bars) != N_OUTCOMES or len(q_bars) != N_OUTCOMES:
        raise ValueError(f"the canvas must send {N_OUTCOMES} bars per distribution")
    return replace(state, p=p, q=q, p_bars=p_bars, q_bars=q_bars)


@dataclass(frozen=True)
class Divergences:
    """The page's three headline numbers, in the state's units."""

    kl_pq: float
    kl_qp: float
    js: float
    js_ceiling: float


def divergences(state: KLViewState) -> Divergences:
    """KL(P‖Q), KL(Q‖P) and JS for the current mode, computed by scipy-backed sae_core code."""
    scale = 1.0 / math.log(2.0) if state.units == "bits" else 1.0
    ceiling = LN2 * scale
    if state.mode == "discrete":
        return Divergences(
            kl_divergence(state.p_bars, state.q_bars, state.base),
            kl_divergence(state.q_bars, state.p_bars, state.base),
            js_divergence(state.p_bars, state.q_bars, state.base),
            ceiling,
        )
    c = compare_continuous(state.p, state.q)
    return Divergences(c.kl_pq * scale, c.kl_qp * scale, c.js * scale, ceiling)


def infinity_reasons(state: KLViewState) -> list[str]:
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
