"""The link at the foot of a page on the path to the page after it, in the home page's order."""

from __future__ import annotations

import streamlit as st

from app_core.registry import next_stop


def next_step_link(current: str) -> None:
    stop = next_stop(current)
    if stop is not None:
        with st.container(key="secondary_next_step"):  # in a talk, → leads on: presenter mode hides this
            st.page_link(stop.path, label=f"Next: {stop.title}", icon=stop.icon)
