"""An image that a live page redraws every second, sent inside the page rather than as a media file.

`st.image` serves each picture from the server's media store, and a rerun drops the previous run's files.
While a page redraws once a second, a browser slow to fetch a picture (a busy machine, a tall layout) asks
for a file a newer rerun has already dropped and shows a broken image ("Image source error" in its console;
seen in a clean-clone CI run on the Autoencoders page). A data URI travels with the element: nothing to fetch.
"""

from __future__ import annotations

import html

import streamlit as st

from app_core.figures.images import png_data_uri


def live_image(rgb, caption: str | None = None, width: int | None = None, alt: str | None = None) -> None:
    """Show `rgb` [H, W, 3] uint8 at `width` pixels (None: the column's width), crisp, with a caption.

    The browser enlarges it pixel by pixel (`image-rendering: pixelated`), so pass it unenlarged (`tile`'s
    zoom=1): the server then encodes a smaller PNG on every redraw, for the same picture on screen (BENCHMARKS.md).
    `alt`: what it shows, for a screen reader (default: the caption)."""
    size = f"width:{width}px;max-width:100%" if width else "width:100%"
    caption_html = (f'<div style="text-align:center;font-size:0.875rem;opacity:0.6;margin-top:0.25rem">'
                    f"{html.escape(caption)}</div>") if caption else ""
    st.markdown(f'<div><img src="{png_data_uri(rgb)}" alt="{html.escape(alt or caption or "")}" '
                f'style="{size};height:auto;max-height:none;object-fit:fill;image-rendering:pixelated;display:block;margin:auto">{caption_html}</div>',
                unsafe_allow_html=True)
