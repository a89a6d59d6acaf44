"""A picture (an RGB array) with its slide downloads, made by the server as the menu opens: a PNG enlarged by
whole pixels to a long side of at least 1080, an SVG of vector pixels, and each pixel's colour as CSV.

`live=True` draws it with `live_image` (inside the page, for pictures a live page redraws every second),
otherwise with `st.image`.
"""

from __future__ import annotations

from contextlib import nullcontext

import streamlit as st

from components.download_menu import download_menu, download_row, files_while_open
from components.live_image import live_image
from app_core.figures.export import image_csv, image_png, image_svg, slide_scale

def alt_text(rgb, alt: str | None, caption: str | None) -> str:
    """A picture's text alternative: `alt`, else its caption, else at least what kind of picture it is."""
    if alt or caption:
        return alt or caption
    return f"A picture of {rgb.shape[1]}×{rgb.shape[0]} pixels; the text just above it says what it shows"


FORMATS = (("png", "PNG", "image/png", image_png), ("svg", "SVG", "image/svg+xml", image_svg),
           ("csv", "CSV", "text/csv", image_csv))


def show_image(rgb, key: str, where=st, caption: str | None = None, width=None, name: str | None = None,
               live: bool = False, alt: str | None = None) -> None:
    """Show `rgb` [H, W, 3] uint8 (`width`: pixels, "stretch" or None) with PNG, SVG and CSV downloads under it,
    saved as `name` (default: the key). `alt`: what the picture shows, for a screen reader (default: the caption)."""
    filename = name or key
    text = alt_text(rgb, alt, caption)
    # Keyed like a chart's element, so a scene can name the picture (presenter mode's slides and F).
    with where if where is not st else nullcontext(), st.container(key=key):
        if live:
            live_image(rgb, caption, width if isinstance(width, int) else None, alt=text)
        else:
            # st.image's caption is not its alt (Streamlit 1.67 leaves alt unset): pass it explicitly.
            st.image(rgb, caption=caption, alt=text, **({"width": width} if width is not None else {}))
    k = slide_scale(rgb.shape)
    menu = download_menu(where, key, f"As it was when this opened: PNG {rgb.shape[1] * k}×{rgb.shape[0] * k}, "
                                     "SVG of vector pixels, CSV of each pixel")
    files = files_while_open(menu, key, lambda: {ext: make(rgb) for ext, _, _, make in FORMATS})
    if files is None:
        return
    with menu, download_row():
        for ext, label, mime, _ in FORMATS:
            st.download_button(label, data=files[ext], file_name=f"{filename}.{ext}", mime=mime, on_click="ignore",
                               key=f"{key}_{ext}")
