"""A figure restyled for a projector: type read from the back of a room, lines thick enough to survive a washed
out beam, and the D3 category colours this app's figures use swapped for Okabe & Ito's palette, which stays
distinct under every common colour-vision deficiency.

The D3 greys (and black) stay as they are: grey means "off" here (dead latents, zero entries, the value
before shrinkage, Q's start), it already reads the same to every viewer, and the palette's only entries left
(sky blue, yellow) would blur into the blue beside it or vanish on a white slide.
"""

from __future__ import annotations

import re

import plotly.graph_objects as go

AXIS_FONT, TITLE_FONT, LEGEND_FONT, ANNOTATION_FONT, TEXT_FONT = 20, 26, 20, 20, 20
LINE_WIDTH = 3
TITLE_MARGIN = 2 * TITLE_FONT + 12  # px above the plot for a title line in projector type
PLOTLY_DEFAULT_LINE = 2  # what a line with no width set is drawn at

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
_SWAP = {
    "#1f77b4": "#0072B2",  # blue
    "#ff7f0e": "#E69F00",  # orange
    "#e8710a": "#E69F00",  # the KL pages' orange for Q (and the Norms page's negative entries)
    "#2ca02c": "#009E73",  # green → bluish green
    "#d62728": "#D55E00",  # red → vermillion
    "#9467bd": "#CC79A7",  # purple → reddish purple
    "#17becf": "#56B4E9",  # cyan → sky blue
    "#bcbd22": "#F0E442",  # olive → yellow
}
# Named scales that order colours by hue, which readers with a colour-vision deficiency cannot follow.
_UNSAFE_SCALES = {"jet": "Viridis", "rainbow": "Viridis", "hsv": "Viridis", "hot": "Inferno", "electric": "Inferno",
                  "picnic": "RdBu", "portland": "RdBu", "rdylgn": "RdBu", "spectral": "RdBu"}
_RGB = re.compile(r"rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(,\s*[\d.]+\s*)?\)")


def _rgb_of(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


_SWAP_RGB = {_rgb_of(old): _rgb_of(new) for old, new in _SWAP.items()}


def swap_colour(value):
    """`value` with a D3 category colour (hex, rgb() or rgba(), alpha kept) replaced by its Okabe–Ito match."""
    if not isinstance(value, str):
        return value
    swapped = _SWAP.get(value.lower())
    if swapped:
        return swapped
    m = _RGB.fullmatch(value.strip())
    if m and (rgb := _SWAP_RGB.get(tuple(int(g) for g in m.groups()[:3]))):
        alpha = m.group(4)
        return f"rgba({rgb[0]},{rgb[1]},{rgb[2]}{alpha})" if alpha else f"rgb({rgb[0]},{rgb[1]},{rgb[2]})"
    return value


def _swap_all(node):
    """Every colour anywhere in a figure's dict, lists of per-point colours included, swapped in place."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "template":  # Streamlit's theme replaces it in the browser; not this app's colours
                continue
            node[k] = _swap_all(v) if isinstance(v, (dict, list, tuple)) else swap_colour(v)
        return node
    if isinstance(node, (list, tuple)):
        first = next((v for v in node if v is not None), None)
        if isinstance(first, (int, float)):  # a trace's numbers: hundreds of points on a live page, no colours
            return node
        return [(_swap_all(v) if isinstance(v, (dict, list, tuple)) else swap_colour(v)) for v in node]
    return node


def _at_least(d: dict, path: tuple[str, ...], size: float) -> None:
    """d[path[0]][path[1]]… = max(its value, size), creating the dicts on the way."""
    for key in path[:-1]:
        if not isinstance(d.get(key), dict):
            d[key] = {}
        d = d[key]
    d[path[-1]] = max(d.get(path[-1]) or 0, size)


def _thicker(line: dict | None) -> None:
    if isinstance(line, dict) and line.get("width", PLOTLY_DEFAULT_LINE) != 0:  # 0: deliberately no line
        line["width"] = max(line.get("width") or PLOTLY_DEFAULT_LINE, LINE_WIDTH)


def _restyle_layout(layout: dict, scale: float) -> None:
    if isinstance(layout.get("height"), (int, float)):
        layout["height"] = round(layout["height"] * scale)
    _at_least(layout, ("font", "size"), AXIS_FONT * scale)
    _at_least(layout, ("title", "font", "size"), TITLE_FONT * scale)
    # A title sits in the top margin, which was sized for on-screen type: at 26 px it was cut by the top edge.
    if (layout.get("title") or {}).get("text"):
        _at_least(layout, ("margin", "t"), TITLE_MARGIN * scale)
    _at_least(layout, ("legend", "font", "size"), LEGEND_FONT * scale)
    for name, axis in layout.items():
        if re.fullmatch(r"[xy]axis\d*", name) and isinstance(axis, dict):
            _at_least(axis, ("title", "font", "size"), AXIS_FONT * scale)
            _at_least(axis, ("tickfont", "size"), AXIS_FONT * scale)
    # A legend placed under the plot (y < 0 of the plot's height) is placed for the on-screen type; in projector
    # type the tick labels and axis title below the plot grow into it (the Norms shrinkage charts lost x₁–x₃ to
    # it). Anchored to the figure's bottom edge instead, plotly.js makes room for it under the axis.
    legend = layout.get("legend")
    if isinstance(legend, dict) and (legend.get("y") or 0) < 0 and legend.get("yref", "paper") == "paper":
        legend.update(yref="container", y=0, yanchor="bottom")
    for note in layout.get("annotations") or []:
        _at_least(note, ("font", "size"), ANNOTATION_FONT * scale)
    for shape in layout.get("shapes") or []:
        if shape.get("type") == "line" or (shape.get("line") or {}).get("width"):
            shape.setdefault("line", {})
            _thicker(shape["line"])
    layout["colorway"] = list(OKABE_ITO)


def _restyle_trace(trace: dict, scale: float) -> None:
    _thicker(trace.get("line"))
    if "text" in trace or "texttemplate" in trace:
        _at_least(trace, ("textfont", "size"), TEXT_FONT * scale)
    if "colorscale" in trace or "colorbar" in trace:
        _at_least(trace, ("colorbar", "tickfont", "size"), AXIS_FONT * scale)
        _at_least(trace, ("colorbar", "title", "font", "size"), AXIS_FONT * scale)
    scale = trace.get("colorscale")
    if isinstance(scale, str) and scale.lower() in _UNSAFE_SCALES:
        trace["colorscale"] = _UNSAFE_SCALES[scale.lower()]


def for_projector(fig: go.Figure, scale: float = 1.0) -> go.Figure:
    """A restyled copy of `fig` (which is left untouched: pages share cached figures between sessions).

    Axis titles, tick labels, legends, annotations and trace text at least 20 px, titles at least 26 px, lines
    at least 3 px, D3 colours swapped for Okabe–Ito; the data are the same. `scale`: the slide's size against
    1920×1080 (a 1280×720 screen: 2/3), applied to the type and the height, as a slide scales to its screen.
    """
    spec = fig.to_dict()  # a deep copy
    layout = spec.setdefault("layout", {})
    _restyle_layout(layout, scale)
    for trace in spec.get("data", []):
        _restyle_trace(trace, scale)
    _swap_all(spec)
    # Built without validation: `fig` was valid and only sizes and colours changed (validating costs ~15 ms
    # for the KL-loss landscape, on every redraw of a live page).
    return go.Figure(spec, _validate=False)
