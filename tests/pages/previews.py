"""A slider preview in AppTest: its frames, and the charts the page draws at each frame's position."""

import json

from app_core.figures.slider_patches import KEPT_LAYOUT, apply_patch


def preview(at, slider_key: str) -> dict:
    """The data of the preview watching the slider `slider_key`, its frames parsed."""
    (data,) = [json.loads(c.proto.json) for c in at.get("bidi_component")
               if c.proto.component_name.endswith("slider_preview") and json.loads(c.proto.json)["slider"] == slider_key]
    return {**data, "frames": json.loads(data["frames"])}


def chart_json(at, key: str) -> dict:
    """The chart `key` as the page sent it, less the layout keys a frame leaves to the browser."""
    spec = json.loads(next(c for c in at.get("plotly_chart") if key in str(c.proto.id)).proto.spec)
    return {"data": spec["data"], "layout": {k: v for k, v in spec["layout"].items() if k not in KEPT_LAYOUT}}


def assert_frames_are_what_the_page_draws(at, slider_key: str, move, how_many: int = 3) -> list[float]:
    """For the first `how_many` frames and the last: `move(at, value)` sets the slider there and reruns; each
    chart the page then draws is the chart on screen now with the frame's patch applied. Returns the values."""
    data = preview(at, slider_key)
    assert data["frames"], "no frames"
    on_screen = {key: chart_json(at, key) for key in data["charts"]}
    checked = data["frames"][:how_many] + data["frames"][how_many:][-1:]
    for frame in checked:
        move(at, frame["value"])
        assert not at.exception
        for key in data["charts"]:
            assert apply_patch(on_screen[key], frame["charts"][key]) == chart_json(at, key), (frame["value"], key)
    return [frame["value"] for frame in checked]
