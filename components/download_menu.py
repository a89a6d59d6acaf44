"""The download control under a figure or picture: one small icon that opens its PNG, SVG and CSV.

Kept to one icon so that a projected page shows the figure, not a row of buttons; its container's key starts
with "secondary", which presenter mode hides (components/presenter.css).

The files are made once, as the menu opens, and kept until it closes. A live page redraws its figures every
second, and a download button's file lives only until the run after next: a file made on each redraw (or a
Streamlit "deferred" download, registered afresh on each run) was gone by the time a click reached the server
in most tries while a model trained. A file made once keeps its address.
"""

from __future__ import annotations

from typing import Callable

import streamlit as st


def download_menu(where, key: str, hint: str):
    """A popover, right-aligned under what `where` last drew; `menu.open` says whether to fill it."""
    row = where.container(key=f"secondary_download_{key}", horizontal=True, horizontal_alignment="right")
    menu = row.popover(":material/download:", type="tertiary", help="Download for slides: PNG, SVG or CSV",
                       key=f"{key}_menu", on_change="rerun")
    menu.caption(hint)
    return menu


def files_while_open(menu, key: str, make: Callable[[], dict]) -> dict | None:
    """`make()`'s files, made when the menu `key` opened and kept while it stays open; None while it is shut."""
    store = f"{key}_files"
    if not menu.open:
        st.session_state.pop(store, None)
        return None
    if store not in st.session_state:
        st.session_state[store] = make()
    return st.session_state[store]


def download_row():
    """Buttons side by side inside the menu."""
    return st.container(horizontal=True, gap="xsmall", vertical_alignment="center")
