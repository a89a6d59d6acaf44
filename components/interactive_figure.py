"""A Plotly chart that owns its slider (components/web/interactive_figure.js): the chart, the slider and the
slider patches the server makes ahead are one component, drawn by the component's own plotly.js, with its PNG,
SVG and CSV downloads. A move is drawn in the browser from its patch, then sent to the page with a sequence
number (app_core/wire/sequence.py), which the page's data echoes back once applied.

The JavaScript is served from components/web/, the asset folder pyproject.toml declares (Streamlit serves a
component's asset folder only for an installed distribution's manifest: `make venv` installs it editable).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import streamlit as st

from app_core.figures.export import figure_csv
from app_core.figures.frames import PAGE_FRACTION, slider_frames
from app_core.wire import sequence
from components.component_data import plain_data

ASSETS = Path(__file__).parent / "web"
PLOTLY_JS = "plotly.min.js"
SLIDE_WIDTH, SLIDE_HEIGHT, SCALE = 1920, 1080, 2  # as components/figure_view.py: a slide-sized file at scale 2
CHART = "figure"  # the one chart key of this component's slider patches


def ensure_plotly_asset() -> Path:
    """The installed plotly package's plotly.min.js in the asset folder (git-ignored): a hard link where the
    filesystem allows (Streamlit refuses a symlink out of the folder), else a copy; refreshed when plotly's
    differs in size (an upgraded plotly)."""
    import plotly

    source = Path(plotly.__file__).parent / "package_data" / PLOTLY_JS
    target = ASSETS / PLOTLY_JS
    if target.exists() and target.stat().st_size == source.stat().st_size:
        return target
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    try:
        os.link(source, partial)
    except OSError:
        shutil.copyfile(source, partial)
    os.replace(partial, target)  # atomic: a browser never reads half a file
    return target


ensure_plotly_asset()


@functools.cache
def _component():
    """Registered on first use, inside a run: Streamlit finds the asset folder in the manifests it scans as the
    runtime starts (an import outside one, as a unit test's, could not resolve the file-backed scripts)."""
    return st.components.v2.component("components.interactive_figure", js="interactive_figure.js",
                                      css="interactive_figure.css")


@dataclass(frozen=True)
class Slider:
    """The component's slider: its `options` (the values it moves between), shown by `labels` (default: str),
    at `index`."""
    label: str
    options: Sequence
    index: int
    help: str | None = None
    labels: Sequence[str] | None = None

    def page_step(self) -> int:
        return max(1, round((len(self.options) - 1) * PAGE_FRACTION))  # the page step slider patches are made for


def slider_patches(slider: Slider, figure_at: Callable[[int], dict], on_screen: dict) -> str:
    """JSON text of the figure's patches at the slider's other indices (`figure_at(i)`: the figure's plain JSON
    at option i), against `on_screen`, the figure's plain JSON at the slider's index."""
    frames = slider_frames(range(len(slider.options)), slider.index, lambda i: {CHART: figure_at(int(i))},
                           {CHART: on_screen})
    return json.dumps(frames)


def figure_text(fig) -> str:
    """The figure as the component draws it, JSON text encoded as Streamlit sends a chart: its height kept (slider
    patches never change it), less its width (the page's). Its template is plotly's white one: a figure made where
    Streamlit is imported carries Streamlit's placeholder template, which only Streamlit's own chart fills in (drawn
    by this component's Plotly, its tick labels were cut at the left edge)."""
    import plotly.io as pio
    from plotly.io.json import to_json_plotly

    spec = fig.to_dict()
    spec["layout"].pop("width", None)
    spec["layout"]["template"] = pio.templates["plotly_white"].to_plotly_json()
    return to_json_plotly(spec)


def take_move(key: str, options: Sequence, on_move: Callable[[object], None]) -> None:
    """Carry out the figure `key`'s latest move, once: `on_move(option)`. Its widget callback does; a page also
    calls it before drawing what the move changes (AppTest sets a component's value without the callback). A
    value already carried out, out of range or malformed (a tampered message) changes nothing."""
    value = st.session_state.get(key)
    sent = value.get("value") if isinstance(value, dict) else getattr(value, "value", None)
    seq, applied = sequence.sequence_number(sent), f"{key}_applied"
    if not seq or seq <= sequence.sequence_number(st.session_state.get(applied)):
        return
    index = sent.get("index")
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(options):
        return
    st.session_state[applied] = {"seq": seq}
    on_move(options[index])


def interactive_figure(fig, slider: Slider, *, key: str, on_move: Callable[[object], None], patches: str = "[]",
                       name: str | None = None, downloads: bool = True, description: str | None = None) -> None:
    """Mount the figure `fig` (a Plotly figure, as it is to be shown) with `slider` and its `patches`
    (`slider_patches`). A move calls `on_move(option)` from the widget callback (`take_move`). `downloads`: PNG, SVG and CSV under it,
    saved as `name` (default: the key)."""
    options = list(slider.options)
    labels = list(slider.labels) if slider.labels is not None else [str(o) for o in slider.options]
    files = None
    if downloads:
        files = {"filename": name or key, "width": SLIDE_WIDTH // SCALE, "height": SLIDE_HEIGHT // SCALE,
                 "scale": SCALE, "csv": figure_csv(fig)}
    _component()(key=key, data=plain_data({
        "figure": figure_text(fig), "config": {"displayModeBar": False},
        "slider": {"label": slider.label, "help": slider.help, "options": labels, "index": slider.index,
                   "pageStep": slider.page_step()},
        "patches": patches, "downloads": files, "description": description,
        "appliedSeq": sequence.sequence_number(st.session_state.get(f"{key}_applied"))}),
        default={"value": None}, on_value_change=lambda: take_move(key, options, on_move))
