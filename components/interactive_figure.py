"""A group of sliders and the Plotly charts they draw, one component (components/web/interactive_figure.js): the
sliders, the charts and the slider patches the server makes ahead live together, drawn by the component's own
plotly.js, each chart with its PNG, SVG and CSV downloads. A move is drawn in the browser from its patch, then
sent to the page with a sequence number (app_core/wire/sequence.py), which the page's data echoes back once
applied. Every slider's range, labels and page step travel in the data.

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
from typing import Callable, Mapping, Sequence

import streamlit as st

from app_core.figures.export import figure_csv
from app_core.figures.slider_patches import NEIGHBOUR_PATCHES, PAGE_FRACTION, patches_along, patches_wanted  # noqa: F401 (pages' API)
from app_core.wire import sequence
from components.component_data import plain_data

ASSETS = Path(__file__).parent / "web"
PLOTLY_JS = "plotly.min.js"
SLIDE_WIDTH, SLIDE_HEIGHT, SCALE = 1920, 1080, 2  # as components/figure_view.py: a slide-sized file at scale 2
CHART = "figure"  # the chart's name where a figure has one chart


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
    """A slider of the figure: its `options` (the values it moves between), shown by `labels` (default: str),
    at `index`; `name` names it in moves and patches (a page's state field)."""
    label: str
    options: Sequence
    index: int
    help: str | None = None
    labels: Sequence[str] | None = None
    name: str = "value"

    def page_step(self) -> int:
        return max(1, round((len(self.options) - 1) * PAGE_FRACTION))  # the page step slider patches are made for

    def wire(self) -> dict:
        labels = list(self.labels) if self.labels is not None else [str(o) for o in self.options]
        return {"name": self.name, "label": self.label, "help": self.help, "options": labels, "index": self.index,
                "pageStep": self.page_step()}


@dataclass(frozen=True)
class Chart:
    """A chart of the figure: `figure`, a Plotly figure as it is to be shown, named `name` in patches (and in a
    scene's `hides`); `description` is its text alternative."""
    name: str
    figure: object
    description: str | None = None


def slider_patches(slider: Slider, charts_at: Callable[[int], dict], on_screen: dict | None,
                   max_patches: int | None = None) -> str:
    """JSON text of the charts' patches at the slider's other indices, nearest first, under the byte cap:
    `charts_at(i)`: {chart name: its figure's plain JSON} at option i; `on_screen`: the same for the figures as
    shown (None: each patch carries whole figures, which fit whatever is shown, as a live run's charts need)."""
    frames = patches_along(range(len(slider.options)), slider.index, lambda i: charts_at(int(i)),
                           on_screen if on_screen is not None else {}, max_patches=max_patches)
    return json.dumps(frames)


def figure_text(fig) -> str:
    """The figure as the component draws it, JSON text encoded as Streamlit sends a chart: its height kept (slider
    patches never change it), less its width (the page's). Its template is plotly's white one: a figure made where
    Streamlit is imported carries Streamlit's placeholder template, which only Streamlit's own chart fills in (drawn
    by this component's Plotly, its tick labels were cut at the left edge)."""
    from plotly.io.json import to_json_plotly

    spec = fig.to_dict()
    spec["layout"].pop("width", None)
    spec["layout"]["template"] = _white_template()
    return to_json_plotly(spec)


@functools.cache
def _white_template() -> dict:
    """Plotly's white template as JSON, made once: every chart of every rerun carries it."""
    import plotly.io as pio

    return pio.templates["plotly_white"].to_plotly_json()


def _index(value, options: Sequence) -> int | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(options)
    return value if ok else None


def take_move(key: str, sliders: Mapping[str, Sequence], on_move: Callable[[dict, str], None]) -> None:
    """Carry out the figure `key`'s latest move, once: `on_move(values, moved)`, `values` every slider's option
    by name ({name: options} in `sliders`), `moved` the name of the slider moved. Its widget callback does; a
    page also calls it before drawing what the move changes (AppTest sets a component's value without the
    callback). A value already carried out, out of range or malformed (a tampered message) changes nothing."""
    value = st.session_state.get(key)
    sent = value.get("value") if isinstance(value, dict) else getattr(value, "value", None)
    applied = f"{key}_applied"
    if not sequence.is_new(sent, st.session_state.get(applied)):
        return
    names = list(sliders)
    moved = sent.get("slider", names[0] if len(names) == 1 else None)
    indices = sent.get("indices", {moved: sent.get("index")} if moved is not None else None)
    if moved not in sliders or not isinstance(indices, dict) or moved not in indices:
        return
    chosen = {name: _index(indices.get(name), sliders[name]) for name in indices}
    if set(chosen) - set(sliders) or any(i is None for i in chosen.values()):
        return
    st.session_state[applied] = {"seq": sequence.sequence_number(sent)}
    on_move({name: sliders[name][i] for name, i in chosen.items()}, moved)


def interactive_figure(charts: Chart | Sequence[Chart], sliders: Slider | Sequence[Slider], *, key: str,
                       on_move: Callable[[dict, str], None], patches: Mapping[str, str] | None = None,
                       columns: int = 1, hidden: Sequence[str] = (), downloads: bool = True) -> None:
    """Mount `charts` (laid out `columns` to a row) under `sliders`, with each slider's `patches` by name
    (`slider_patches`). A move calls `on_move(values, moved)` from the widget callback (`take_move`).
    `hidden`: names of the sliders and charts a scene leaves out. `downloads`: PNG, SVG and CSV under each chart,
    saved as its name."""
    charts = [charts] if isinstance(charts, Chart) else list(charts)
    sliders = [sliders] if isinstance(sliders, Slider) else list(sliders)
    wired = []
    for chart in charts:
        files = None
        if downloads:
            files = {"filename": chart.name, "width": SLIDE_WIDTH // SCALE, "height": SLIDE_HEIGHT // SCALE,
                     "scale": SCALE, "csv": figure_csv(chart.figure)}
        head = json.dumps({"name": chart.name, "description": chart.description, "downloads": files})
        wired.append(f'{head[:-1]}, "figure": {figure_text(chart.figure)}}}')  # the figure's JSON text joined in as it is
    patches = patches or {}
    # The patches are JSON text already (cached by the pages): joined, not parsed and written again.
    patch_text = "{" + ", ".join(f"{json.dumps(s.name)}: {patches[s.name]}" for s in sliders if s.name in patches) + "}"
    _component()(key=key, data=plain_data({
        "charts": "[" + ", ".join(wired) + "]", "config": {"displayModeBar": False},
        "sliders": json.dumps([s.wire() for s in sliders]), "patches": patch_text, "columns": columns,
        "hidden": list(hidden), "appliedSeq": sequence.sequence_number(st.session_state.get(f"{key}_applied"))}),
        default={"value": None},
        on_value_change=lambda: take_move(key, {s.name: list(s.options) for s in sliders}, on_move))
