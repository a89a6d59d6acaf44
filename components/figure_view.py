"""A Plotly chart with its slide downloads: PNG and SVG at 1920×1080, drawn in the browser from the figure's
JSON by the component's own plotly.js (components/web/figure_images.js), and its numbers as CSV; the figure and
its numbers are made by the server as the menu opens, and sent only while it is open.

In presenter mode the chart, and its files, are drawn in its projector style (app_core/figures/projector.py).
"""

from __future__ import annotations

import functools

import streamlit as st

from components.download_menu import download_menu, download_row, files_while_open
from components.interactive_figure import figure_text
from components.presenter import PRESENTING, slide_scale
from app_core.figures.export import figure_csv
from app_core.figures.projector import for_projector

SLIDE_WIDTH, SLIDE_HEIGHT = 1920, 1080
# The chart is laid out at half the slide's size and drawn at twice the scale: a 1920×1080 file whose type,
# lines and markers are the size they are on screen relative to the chart, not shrunk to a twelfth of a slide's
# height by a 1920-pixel-wide layout.
SCALE = 2
LAYOUT_WIDTH, LAYOUT_HEIGHT = SLIDE_WIDTH // SCALE, SLIDE_HEIGHT // SCALE


@functools.cache
def _image_buttons():
    """Registered on first use, inside a run (as components/interactive_figure.py's: its scripts are files of the
    asset folder pyproject.toml declares)."""
    return st.components.v2.component("components.figure_images", js="figure_images.js", css="figure_images.css")


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


def figure_downloads(make_figure, key: str, where=st, name: str | None = None) -> None:
    """The download menu for the figure `make_figure()` returns (called only as the menu opens): PNG and SVG drawn
    from it by plotly.js in the browser, CSV of its numbers, saved as `name`. The images are of the figure as the
    page shows it: in the projector style while presenting."""
    filename = name or key
    menu = download_menu(where, key, f"PNG and SVG at {SLIDE_WIDTH}×{SLIDE_HEIGHT}; CSV: the numbers when this opened")
    files = files_while_open(menu, key, lambda: _files(make_figure()))
    if files is None:
        return
    with menu, download_row():
        _image_buttons()(key=f"{key}_images", width="content",
                         data={"figure": files["figure"], "filename": filename, "width": LAYOUT_WIDTH,
                               "height": LAYOUT_HEIGHT, "scale": SCALE})
        st.download_button("CSV", data=files["csv"], file_name=f"{filename}.csv", mime="text/csv", on_click="ignore",
                           key=f"{key}_csv", help="The chart's numbers, one row per point")


def _files(fig) -> dict:
    """The figure's numbers as CSV, and its JSON text as the images are drawn from (plotly's white template: the
    placeholder template a figure carries where Streamlit is imported is filled in only by Streamlit's chart)."""
    return {"csv": figure_csv(fig), "figure": figure_text(_as_shown(fig))}
