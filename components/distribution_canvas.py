"""The draggable P/Q canvas of the KL page (components/web/distribution_canvas.js, on the shared lifecycle.js)."""

from __future__ import annotations

import functools

import streamlit as st

from components.component_data import plain_data
from app_core.wire.canvas_wire import to_canvas
from app_core.state.kl import KLState


@functools.cache
def _component():
    """Registered on first use, inside a run (as components/interactive_figure.py's: its scripts are files of the
    asset folder pyproject.toml declares)."""
    return st.components.v2.component("components.distribution_canvas", js="distribution_canvas.js",
                                      css="distribution_canvas.css")


def distribution_canvas(state: KLState, *, key: str, on_change, applied_seq: int = 0, large: bool = False,
                        send_ms: int = 100) -> None:
    """Mount the canvas showing `state`; a drag calls `on_change` with the new value in session state.

    `applied_seq` is the sequence number of the last canvas value the page has applied (app_core/wire/sequence.py):
    the canvas resends its released position until that catches up (wire format: app_core/wire/canvas_wire.py).
    `large`: type sized for a projector (presenter mode). `send_ms`: how often a drag in progress sends its
    position (0: only when released; the canvas computes the page's numbers itself meanwhile).
    The element is as tall as the canvas draws itself (a fixed height clipped the projector's larger readout into
    a scroll region that the keyboard could not reach).
    """
    _component()(key=key, data=plain_data({**to_canvas(state, applied_seq), "large": large, "sendMs": int(send_ms)}),
                 default={"value": None}, on_value_change=on_change)
