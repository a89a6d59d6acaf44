"""The download control under a figure or picture: one small icon that opens its PNG, SVG and CSV.

Kept to one icon so that a projected page shows the figure, not a row of buttons; its container's key starts
with "secondary", which presenter mode hides (components/presenter.css).
"""

from __future__ import annotations

import streamlit as st


def download_menu(where, key: str, hint: str):
    """A popover, right-aligned under what `where` last drew, to fill with download buttons (`with` it)."""
    row = where.container(key=f"secondary_download_{key}", horizontal=True, horizontal_alignment="right")
    menu = row.popover(":material/download:", type="tertiary", help="Download for slides: PNG, SVG or CSV")
    menu.caption(hint)
    return menu


def download_row():
    """Buttons side by side inside the menu."""
    return st.container(horizontal=True, gap="xsmall", vertical_alignment="center")
