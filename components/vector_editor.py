"""The Norms page's vector, edited by dragging its bars (or with the arrow keys), registered once per process."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from components.component_data import plain_data
from app_core.figures.norm_figures import NEG_COLOR, POS_COLOR, ZERO_COLOR
from app_core.figures.projector import swap_colour
from app_core.wire.editor_wire import to_editor
from app_core.state.norms import NormsState

_HERE = Path(__file__).parent
_COMPONENT = st.components.v2.component(
    "sae_playground.vector_editor",
    html="",
    css=(_HERE / "vector_editor.css").read_text(encoding="utf-8"),
    js=(_HERE / "vector_editor.js").read_text(encoding="utf-8"),
    isolate_styles=True,
)


def vector_editor(state: NormsState, labels: list[str], *, key: str, on_change, applied_seq: int = 0,
                  large: bool = False) -> None:
    """Mount the editor showing `state.entries`; a drag's release (or a pause in the keys) calls `on_change`
    with the new value in session state. `large`: presenter mode (type for a projector, its colour-blind-safe
    palette, as app_core/figures/projector.py gives the charts)."""
    colors = {"pos": POS_COLOR, "neg": NEG_COLOR, "zero": ZERO_COLOR}
    if large:
        colors = {name: swap_colour(colour) for name, colour in colors.items()}
    _COMPONENT(key=key, data=plain_data({**to_editor(state, labels, applied_seq), "large": large, "colors": colors}),
               default={"value": None}, on_value_change=on_change)
