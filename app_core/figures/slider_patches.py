"""Slider patches: a page's figures at other positions of one slider, made ahead by the server, so that the browser
can show the figure for a position the moment the slider reaches it, before the server's rerun redraws the page.

A round trip to the server costs ~100–125 ms even for a one-slider app on a 2-core machine, and a changed Plotly
figure is mounted from scratch on arrival (another 25–130 ms): a slider that only answered through the server
could not feel direct. The patches are computed by the same figure functions the page draws with: applied to the
chart they were made against, a patch gives the figure the server then sends (the browser dims the chart instead
where it cannot be sure of that: components/web/interactive_figure.js).

A patch is made to figure JSON as Streamlit sends it (`plain`): per trace, the top-level attributes that differ;
in the layout, the top-level keys that differ. The browser merges it onto the chart it shows
(interactive_figure.js does what `apply_patch` does here).
"""

from __future__ import annotations

import json
import math
from typing import Callable, Sequence

# Patches nearest the current position first: each arrow key lands on one of them. Then a page step either side
# (PageUp/PageDown move a slider a tenth of its range) and both ends (Home/End), then every so many positions
# across the range, so a drag is shown at those; in between, the chart waits for the server, dimmed.
NEAR = 4
PAGE_FRACTION = 0.1
SPREAD = 8
# Layout keys a patch never touches, the chart's own kept in the browser: the template (Streamlit puts its theme
# into the chart's as it mounts it) and the size (the page's, or Streamlit's full-screen view's).
KEPT_LAYOUT = frozenset({"template", "width", "height"})
# A slider's patches travel with every rerun of its page: capped, the heaviest figures get fewer of them.
MAX_PATCH_BYTES = 160_000


def patch_positions(positions: Sequence, current) -> list:
    """The positions worth a patch, in this order: `current`'s NEAR neighbours on each side, a page step either
    side, both ends, then about SPREAD more spread over the range, nearest first. Never `current` itself (it is
    on screen)."""
    last = len(positions) - 1
    index = min(range(len(positions)), key=lambda i: abs(positions[i] - current))
    page = max(1, round(last * PAGE_FRACTION))
    order = [index + d * side for d in range(1, NEAR + 1) for side in (-1, 1)]
    order += [index - page, index + page, 0, last]
    stride = max(1, math.ceil(len(positions) / SPREAD))
    order += sorted(range(0, len(positions), stride), key=lambda i: abs(i - index))
    seen, chosen = {index}, []
    for i in order:
        if 0 <= i <= last and i not in seen:
            seen.add(i)
            chosen.append(positions[i])
    return chosen


def plain(fig) -> dict:
    """A figure as JSON values, encoded as Streamlit sends it (numpy arrays as Plotly's base64 typed arrays: the
    KL-loss densities figure took 39 kB instead of 74 as decimal text), without its layout's KEPT_LAYOUT keys."""
    from plotly.io.json import to_json_plotly

    spec = fig.to_dict()
    for key in KEPT_LAYOUT:
        spec["layout"].pop(key, None)
    return json.loads(to_json_plotly(spec))


def figure_patch(base: dict | None, other: dict) -> dict:
    """What turns figure JSON `base` into `other`. {"traces": [...]} replaces every trace (no base, or another
    number of traces); else {"data": {index: {attribute: value}}}. {"layout": {key: value}} replaces layout keys,
    None removing one, except KEPT_LAYOUT. With no base the patch is the whole figure, which fits whatever
    chart of the same kind is on screen."""
    patch: dict = {}
    base_data, data = (base or {}).get("data"), other.get("data", [])
    if base_data is None or len(base_data) != len(data):
        patch["traces"] = data
    else:
        changed = {}
        for i, (was, now) in enumerate(zip(base_data, data)):
            diff = {k: v for k, v in now.items() if was.get(k) != v}
            diff.update({k: None for k in was if k not in now})
            if diff:
                changed[str(i)] = diff
        if changed:
            patch["data"] = changed
    base_layout, layout = (base or {}).get("layout", {}), other.get("layout", {})
    diff = {k: v for k, v in layout.items() if base_layout.get(k) != v and k not in KEPT_LAYOUT}
    diff.update({k: None for k in base_layout if k not in layout and k not in KEPT_LAYOUT})
    if diff:
        patch["layout"] = diff
    return patch


def apply_patch(base: dict, patch: dict) -> dict:
    """`base` with `patch` merged in, as the browser merges it."""
    def merged(obj: dict, changes: dict) -> dict:
        out = {**obj, **changes}
        return {k: v for k, v in out.items() if v is not None}

    if "traces" in patch:
        data = list(patch["traces"])
    else:
        changes = patch.get("data", {})
        data = [merged(t, changes[str(i)]) if str(i) in changes else t for i, t in enumerate(base.get("data", []))]
    return {"data": data, "layout": merged(base.get("layout", {}), patch.get("layout", {}))}


def patches_along(positions: Sequence, current, figures_at: Callable[[object], dict[str, dict]],
                  on_screen: dict[str, dict | None], max_bytes: int = MAX_PATCH_BYTES,
                  max_patches: int | None = None) -> list[dict]:
    """Slider patches [{"value": v, "charts": {chart key: patch}}] for the positions `patch_positions` picks, in its
    order, until they would pass `max_bytes` of JSON or reach `max_patches`. `figures_at(v)`: each chart's figure
    JSON at position v; `on_screen`: each chart's figure JSON as shown now (None: patches carry whole figures,
    made without knowing what the chart shows, as for a live run's charts)."""
    patches, size, smallest = [], 0, 0
    for value in patch_positions(positions, current)[:max_patches]:
        if size + smallest > max_bytes:
            break  # not even the smallest patch so far would fit: the next is not worth its figures
        charts = {key: figure_patch(on_screen.get(key), fig) for key, fig in figures_at(value).items()}
        patch = {"value": value, "charts": charts}
        cost = len(json.dumps(patch))
        if size + cost > max_bytes:
            break
        patches.append(patch)
        size, smallest = size + cost, min(smallest, cost) if patches[1:] else cost
    return patches


# Of a group's other sliders, each gets its patches at this many nearest positions (the one moved last gets all
# that fit under the byte cap): its first key press is answered in the browser too.
NEIGHBOUR_PATCHES = 2


def patches_wanted(name: str, moved_last: str) -> int | None:
    """How many patches slider `name` of a group gets, when `moved_last` is the one moved last (None: all that
    fit)."""
    return None if name == moved_last else NEIGHBOUR_PATCHES
