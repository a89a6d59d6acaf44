"""A slider's frames for the browser: the page's charts at the slider's other positions, shown the moment the
slider reaches one (components/slider_preview.js; the frames come from app_core/figures/slider_patches.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Mapping, Sequence

import streamlit as st

from components.component_data import plain_data
from app_core.figures.slider_patches import NEIGHBOUR_PATCHES, patches_along, patches_wanted, plain
from app_core.figures.projector import for_projector

_HERE = Path(__file__).parent
_COMPONENT = st.components.v2.component(
    "sae_playground.slider_preview",
    html="",
    js=(_HERE / "slider_preview.js").read_text(encoding="utf-8"),
    isolate_styles=True,
)


def shown_json(fig, presenting: bool) -> dict:
    """`fig` as plain JSON, in the style it is shown in (the projector's while presenting)."""
    return plain(for_projector(fig) if presenting else fig)


NEIGHBOUR_FRAMES = NEIGHBOUR_PATCHES  # the interactive figure's rule, until these pages move onto it


def preview_frames(positions: Sequence, current, figures_at: Callable[[object], dict], *, whole: bool = False,
                   on_screen: dict | None = None, max_frames: int | None = None) -> str:
    """The frames, as JSON text, of the charts `figures_at(v)` returns ({chart key: `shown_json` of its figure})
    at the slider's positions near `current`, as patches to `on_screen` (the charts' JSON as shown now; default
    `figures_at(current)`); at most `max_frames` of them. `whole`: each frame carries whole figures, which fit
    whatever the chart shows (a training run's charts change on their own; such frames are cached whatever the
    run has reached). It draws up to a few dozen figures: pages cache them, and mount the preview after
    everything else, so the page is drawn and its URL written first."""
    base = {} if whole else on_screen if on_screen is not None else figures_at(current)
    return json.dumps(patches_along(positions, current, figures_at, base, max_patches=max_frames))


frames_wanted = patches_wanted


def slider_preview(slider_key: str, charts: Sequence[str], current, frames: str, *, key: str,
                   unaffected_by: Sequence[str] = (), assumes: Mapping[str, float] | None = None) -> None:
    """Mount the preview of the slider `slider_key` (its widget key) for the charts `charts` (their keys), with
    `frames` from `preview_frames`. It takes no room on the page. A move of any other control makes the browser
    wait for the server's answer before it previews again (the frames may hold that control's old value),
    except the controls `unaffected_by` (their keys): the frames do not depend on them. `assumes`: the other
    sliders the frames were made at (widget key → position, as its range input holds it: a select_slider's
    option index); while one is elsewhere the charts wait for the server too."""
    _COMPONENT(key=key, data=plain_data({"slider": slider_key, "charts": list(charts), "current": current,
                                         "frames": frames, "unaffectedBy": list(unaffected_by),
                                         "assumes": dict(assumes or {})}))
