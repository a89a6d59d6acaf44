"""A Plotly chart with its slide downloads: PNG and SVG at 1920×1080 drawn by plotly.js in the browser, and
its numbers as CSV made by the server as the menu opens.

In presenter mode the chart is drawn in its projector style (app_core/figures/projector.py).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from components.download_menu import download_menu, download_row, files_while_open
from components.presenter import PRESENTING, slide_scale
from app_core.figures.export import figure_csv
from app_core.figures.projector import for_projector

SLIDE_WIDTH, SLIDE_HEIGHT = 1920, 1080
# The chart is laid out at half the slide's size and drawn at twice the scale: a 1920×1080 file whose type,
# lines and markers are the size they are on screen relative to the chart, not shrunk to a twelfth of a slide's
# height by a 1920-pixel-wide layout.
SCALE = 2
LAYOUT_WIDTH, LAYOUT_HEIGHT = SLIDE_WIDTH // SCALE, SLIDE_HEIGHT // SCALE

_HERE = Path(__file__).parent
_IMAGE_BUTTONS = st.components.v2.component(
    "sae_playground.figure_downloads",
    html="",
    css=(_HERE / "figure_downloads.css").read_text(encoding="utf-8"),
    js=(_HERE / "figure_downloads.js").read_text(encoding="utf-8"),
    isolate_styles=True,
)


def slide_config(filename: str) -> dict:
    """Plotly's config: no mode bar, and slide-sized PNG options under a readable name.

    On a touch screen the mode bar is always shown, over the chart's title or legend on a phone; the download menu
    under each chart does what its camera button did, and a double click still resets a zoomed chart."""
    return {"displayModeBar": False,
            "toImageButtonOptions": {"format": "png", "width": LAYOUT_WIDTH, "height": LAYOUT_HEIGHT, "scale": SCALE,
                                     "filename": filename}}


def show_figure(fig, key: str, where=st, name: str | None = None, **plotly_kwargs):
    """`where.plotly_chart(fig, key=key, **plotly_kwargs)` with PNG, SVG and CSV downloads under it, saved as
    `name` (default: the key). Returns what plotly_chart returns (the selection, when `on_select` is set)."""
    result = where.plotly_chart(_as_shown(fig), key=key, config=slide_config(name or key), **plotly_kwargs)
    figure_downloads(lambda: fig, key, where, name)
    return result


def _as_shown(fig):
    """`fig` as this session shows it: in the projector style while presenting."""
    return for_projector(fig, slide_scale()) if st.session_state.get(PRESENTING) else fig


def figure_downloads(make_figure, key: str, where=st, name: str | None = None, drawn: bool = True) -> None:
    """The download menu for the figure `make_figure()` returns (called only while the menu is open): PNG and
    SVG drawn by plotly.js, CSV of its numbers, saved as `name`.

    `drawn`: the chart `key` is on the page and the images are made from it. Otherwise (a figure the page shows
    in its own component, such as the Norms page's vector editor) plotly.js draws the figure itself off screen,
    in the projector style when presenting, as a chart on the page would be."""
    filename = name or key
    menu = download_menu(where, key, f"PNG and SVG at {SLIDE_WIDTH}×{SLIDE_HEIGHT}; CSV: the numbers when this opened")
    files = files_while_open(menu, key, lambda: {"csv": figure_csv(make_figure())})
    if files is None:
        return
    target = {"chart": key} if drawn else {"figure": _as_shown(make_figure()).to_json()}
    with menu, download_row():
        _IMAGE_BUTTONS(key=f"{key}_images", width="content",
                       data={**target, "filename": filename, "width": LAYOUT_WIDTH, "height": LAYOUT_HEIGHT,
                             "scale": SCALE})
        st.download_button("CSV", data=files["csv"], file_name=f"{filename}.csv", mime="text/csv", on_click="ignore",
                           key=f"{key}_csv", help="The chart's numbers, one row per point")
