"""A picture (an RGB array) with its slide downloads, built by the server only when asked for: a PNG enlarged
by whole pixels to a long side of at least 1080, an SVG of vector pixels, and each pixel's colour as CSV.

`live=True` draws it with `live_image` (inside the page, for pictures a live page redraws every second),
otherwise with `st.image`.
"""

from __future__ import annotations

from contextlib import nullcontext

import streamlit as st

from components.download_menu import download_menu, download_row
from components.live_image import live_image
from sae_core.figures.export import image_csv, image_png, image_svg, slide_scale


def show_image(rgb, key: str, where=st, caption: str | None = None, width=None, name: str | None = None,
               live: bool = False) -> None:
    """Show `rgb` [H, W, 3] uint8 (`width`: pixels, "stretch" or None) with PNG, SVG and CSV downloads under it,
    saved as `name` (default: the key)."""
    filename = name or key
    with where if where is not st else nullcontext():
        if live:
            live_image(rgb, caption, width if isinstance(width, int) else None)
        else:
            st.image(rgb, caption=caption, **({"width": width} if width is not None else {}))
    k = slide_scale(rgb.shape)
    hint = f"For slides: PNG {rgb.shape[1] * k}×{rgb.shape[0] * k}, SVG of vector pixels, each pixel as CSV."
    with download_menu(where, key, hint), download_row():
        # Callables: each file is built only when somebody clicks, not on every redraw of a live page.
        st.download_button("PNG", data=lambda: image_png(rgb), file_name=f"{filename}.png", mime="image/png",
                           on_click="ignore", key=f"{key}_png")
        st.download_button("SVG", data=lambda: image_svg(rgb), file_name=f"{filename}.svg", mime="image/svg+xml",
                           on_click="ignore", key=f"{key}_svg")
        st.download_button("CSV", data=lambda: image_csv(rgb), file_name=f"{filename}.csv", mime="text/csv",
                           on_click="ignore", key=f"{key}_csv")
