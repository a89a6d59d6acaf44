"""A marker of a chart the page drew, dragged to a new point (components/marker_drag.js): KL as a loss's start."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Callable, Sequence

import streamlit as st

from components.component_data import plain_data

_HERE = Path(__file__).parent
_COMPONENT = st.components.v2.component(
    "sae_playground.marker_drag",
    html="",
    js=(_HERE / "marker_drag.js").read_text(encoding="utf-8"),
    isolate_styles=True,
)


def marker_drag(chart_key: str, marker: str, *, key: str, x_range: tuple[float, float], x_step: float,
                y_range: tuple[float, float], y_step: float, on_drop: Callable[[float, float], None],
                follows: Sequence[str] = (), clears: Sequence[str] = ()) -> None:
    """Let the trace named `marker` of the chart `chart_key` be dragged (its first point); on release, or on a
    click on it, `on_drop(x, y)` is called once, from the widget callback. The browser snaps the point to the
    grid of each range and step; a message can be tampered with, so `on_drop` clamps and snaps it too.
    `follows`: traces that follow the pointer with the marker; `clears`: traces emptied meanwhile. It takes no
    room on the page."""

    def dropped() -> None:
        point = dropped_point(st.session_state.get(key), st.session_state.get(f"{key}_last"))
        if point is not None:
            st.session_state[f"{key}_last"] = point[2]
            on_drop(point[0], point[1])

    _COMPONENT(key=key, data=plain_data({"chart": chart_key, "marker": marker, "follows": list(follows),
                                         "clears": list(clears), "xRange": list(x_range), "xStep": x_step,
                                         "yRange": list(y_range), "yStep": y_step}),
               on_point_change=dropped)


def dropped_point(value, last_stamp) -> tuple[float, float, tuple] | None:
    """(x, y, stamp) of a release the browser sent, or None: none sent, one already carried out (defensive, as
    the presenter's keys are: a trigger might reach more than one run), or not two finite numbers (a tampered
    message changes nothing)."""
    point = value.get("point") if isinstance(value, dict) else getattr(value, "point", None)
    if not isinstance(point, dict):
        return None
    stamp = (point.get("seq"), point.get("at"))
    if stamp == last_stamp:
        return None
    try:
        x, y = float(point["x"]), float(point["y"])
    except (KeyError, TypeError, ValueError):
        return None
    return (x, y, stamp) if math.isfinite(x) and math.isfinite(y) else None
