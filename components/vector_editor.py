"""The Norms page's vector, edited by dragging its bars (or with the arrow keys): components/web/vector_editor.js,
on the shared lifecycle.js."""

from __future__ import annotations

import functools

import streamlit as st

from components.component_data import plain_data
from app_core.figures.norm_figures import NEG_COLOR, POS_COLOR, ZERO_COLOR
from app_core.figures.projector import swap_colour
from app_core.wire.editor_wire import to_editor
from app_core.state.norms import NormsState


@functools.cache
def _component():
    """Registered on first use, inside a run (as components/interactive_figure.py's: its scripts are files of the
    asset folder pyproject.toml declares)."""
    return st.components.v2.component("components.vector_editor", js="vector_editor.js", css="vector_editor.css")


def vector_editor(state: NormsState, labels: list[str], *, key: str, on_change, applied_seq: int = 0,
                  large: bool = False) -> None:
    """Mount the editor showing `state.entries`; a drag's release (or a pause in the keys) calls `on_change`
    with the new value in session state. `large`: presenter mode (type for a projector, its colour-blind-safe
    palette, as app_core/figures/projector.py gives the charts)."""
    colors = {"pos": POS_COLOR, "neg": NEG_COLOR, "zero": ZERO_COLOR}
    if large:
        colors = {name: swap_colour(colour) for name, colour in colors.items()}
    _component()(key=key, data=plain_data({**to_editor(state, labels, applied_seq), "large": large, "colors": colors}),
                 default={"value": None}, on_value_change=on_change)
