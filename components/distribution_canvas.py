"""The draggable P/Q canvas of the KL page, registered once per process."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from sae_core.kl_view import KLViewState

_HERE = Path(__file__).parent
_COMPONENT = st.components.v2.component(
    "sae_playground.distribution_canvas",
    html="",
    css=(_HERE / "distribution_canvas.css").read_text(encoding="utf-8"),
    js=(_HERE / "distribution_canvas.js").read_text(encoding="utf-8"),
    isolate_styles=True,
)


def _density_data(d) -> dict:
    return {"family": d.family, "loc": d.loc, "scale": d.scale}


def distribution_canvas(state: KLViewState, *, key: str, on_change, applied_seq: int = 0) -> None:
    """Mount the canvas showing `state`; a drag calls `on_change` with the new value in session state.

    `applied_seq` is the sequence number of the last canvas value the page has applied: the canvas
    resends its released position until that catches up.
    """
    _COMPONENT(
        key=key,
        data={
            "mode": state.mode,
            "units": state.units,
            "shade": state.shade,
            "p": _density_data(state.p),
            "q": _density_data(state.q),
            "pBars": list(state.p_bars),
            "qBars": list(state.q_bars),
            "appliedSeq": applied_seq,
        },
        default={"value": None},
        on_value_change=on_change,
        height=400,
    )
