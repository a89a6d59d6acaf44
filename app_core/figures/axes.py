"""Axes every figure shares: a log axis labelled with whole numbers at every decade and between them.

Plotly's own log ticks label the numbers between decades by their first digit only ("3 4 … 9 10 2 3" for
3…30), often without a decade in view, so a "2" that means 20 reads as 2. Here every label is the number it
marks: 1, 2, 5, 10, 20, 50 …, each decade in range always among them.
"""

from __future__ import annotations

import math
from typing import Iterable

# Mantissas labelled within a decade, finer as the axis spans fewer decades; never 4, 6 … 9, which crowd a short
# vertical axis in projector type.
_STEPS = ((1.2, (1, 2, 3, 5)), (2.2, (1, 2, 5)), (math.inf, (1,)))
MIN_SPAN = 0.6  # decades: any range this wide holds at least two of the finest labels (1, 2, 3, 5)
PAD = 0.06  # of the data's span in decades, on each side


def log_label(v: float) -> str:
    """A log tick's number written in full: 20, 1,000, 0.005 (never "2" for 20, never "1e-3")."""
    if v >= 1:
        return f"{v:,.0f}" if abs(v - round(v)) < 1e-9 * v else f"{v:g}"
    digits = -math.floor(math.log10(v) + 1e-9)
    return f"{v:.{digits}f}"


def log_ticks(lo: float, hi: float) -> list[float]:
    """Tick values between 10**lo and 10**hi (log10 bounds): every decade, and 2, 5 or more between."""
    span = hi - lo
    steps = next(s for limit, s in _STEPS if span <= limit)
    ticks = []
    for k in range(math.floor(lo) - 1, math.ceil(hi) + 1):
        for m in steps:
            v = float(f"{m * 10.0 ** k:.12g}")
            if lo - 1e-9 <= math.log10(v) <= hi + 1e-9:
                ticks.append(v)
    return ticks


def log_range(values: Iterable[float | None], default: tuple[float, float] = (1.0, 10.0)) -> tuple[float, float]:
    """log10 bounds around the positive, finite `values`, padded, at least `MIN_SPAN` decades wide."""
    logs = [math.log10(v) for v in values if v is not None and math.isfinite(v) and v > 0]
    lo, hi = (min(logs), max(logs)) if logs else (math.log10(default[0]), math.log10(default[1]))
    pad = max(PAD * (hi - lo), 0.03)
    lo, hi = lo - pad, hi + pad
    if hi - lo < MIN_SPAN:
        mid = (lo + hi) / 2
        lo, hi = mid - MIN_SPAN / 2, mid + MIN_SPAN / 2
    return lo, hi


def log_axis(values: Iterable[float | None] = (), title: str | None = None, bounds: tuple[float, float] | None = None,
             **extra) -> dict:
    """A Plotly log axis over `values` (or over `bounds`, log10 of its ends), labelled by `log_ticks`."""
    lo, hi = bounds if bounds is not None else log_range(values)
    ticks = log_ticks(lo, hi)
    axis = dict(type="log", range=[lo, hi], tickmode="array", tickvals=ticks, ticktext=[log_label(v) for v in ticks],
                **extra)
    if title is not None:
        axis["title"] = dict(text=title)
    return axis
