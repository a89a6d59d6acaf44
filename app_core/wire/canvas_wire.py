"""The drag canvas's wire format, both directions, in one place (its JavaScript is the other half:
components/web/distribution_canvas.js reads `to_canvas` and sends what `from_canvas` reads).

To the canvas: {mode, units, shade, p, q, pBars, qBars, appliedSeq, steps, ranges}, each density {family, loc, sd};
`steps` are the page's sliders' steps, by which the arrow keys move a focused handle; `ranges` the means' and
widths' ranges (app_core/state/kl.py) and the x axis drawn.
From it: {mode, p, q, pBars, qBars, seq, dragging}; `seq` numbers each value it sends and `dragging`
says whether the pointer is still down.
"""

from __future__ import annotations

from dataclasses import replace

from app_core.state.kl import LOC_RANGE, N_OUTCOMES, SD_RANGE, KLState, normalised_bars, clamp_density
from app_core.wire.sequence import sequence_number  # noqa: F401  (one protocol for every component)
from sae_core.divergence.measures import Density

# The KL page's sliders move a mean and a width by 0.05 and a probability by 0.01; a handle's arrow keys do the same.
LOC_STEP, SD_STEP, BAR_STEP = 0.05, 0.05, 0.01
KEY_STEPS = {"loc": LOC_STEP, "sd": SD_STEP, "bar": BAR_STEP}
# The x axis reaches a widest curve's shoulder at either end of the means' range.
X_RANGE = (LOC_RANGE[0] - SD_RANGE[1], LOC_RANGE[1] + SD_RANGE[1])
RANGES = {"x": X_RANGE, "loc": LOC_RANGE, "sd": SD_RANGE}


def _density(d: Density) -> dict:
    return {"family": d.family, "loc": d.loc, "sd": d.sd}


def to_canvas(state: KLState, applied_seq: int = 0) -> dict:
    """What the canvas draws; `applied_seq` is the last canvas value the page has applied (the canvas
    resends a released position until it catches up)."""
    return {"mode": state.mode, "units": state.units, "shade": state.shade, "p": _density(state.p),
            "q": _density(state.q), "pBars": list(state.p_bars), "qBars": list(state.q_bars),
            "appliedSeq": applied_seq, "steps": dict(KEY_STEPS),
            "ranges": {name: list(bounds) for name, bounds in RANGES.items()}}


def from_canvas(state: KLState, value) -> KLState:
    """Merge what the canvas sent into `state`, validated.

    Out-of-range positions are clamped (a fast drag can overshoot); anything malformed raises
    ValueError and leaves the caller's state untouched.
    """
    if not isinstance(value, dict):
        raise ValueError("the canvas sent no distributions")
    try:
        p = clamp_density(value["p"]["family"], float(value["p"]["loc"]), float(value["p"]["sd"]))
        q = clamp_density(value["q"]["family"], float(value["q"]["loc"]), float(value["q"]["sd"]))
        p_bars = normalised_bars([float(v) for v in value["pBars"]])
        q_bars = normalised_bars([float(v) for v in value["qBars"]])
    except (KeyError, TypeError) as err:
        raise ValueError(f"the canvas sent a malformed state ({err})") from None
    if len(p_bars) != N_OUTCOMES or len(q_bars) != N_OUTCOMES:
        raise ValueError(f"the canvas must send {N_OUTCOMES} bars per distribution")
    return replace(state, p=p, q=q, p_bars=p_bars, q_bars=q_bars)


def is_dragging(value) -> bool:
    """Whether a value from the canvas was sent mid-drag (the pointer still down)."""
    return isinstance(value, dict) and bool(value.get("dragging"))
