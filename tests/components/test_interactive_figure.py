import json
from pathlib import Path

import plotly
import plotly.graph_objects as go

from app_core.figures.slider_patches import apply_patch, plain
from components.interactive_figure import (ASSETS, PLOTLY_JS, Slider, ensure_plotly_asset, figure_text, patches_wanted,
                                          slider_patches)


def test_the_installed_plotly_js_is_served_from_the_asset_folder():
    served = ensure_plotly_asset()
    bundled = Path(plotly.__file__).parent / "package_data" / PLOTLY_JS
    assert served == ASSETS / PLOTLY_JS and served.read_bytes() == bundled.read_bytes()


def test_a_page_step_is_a_tenth_of_the_range_and_at_least_one():
    assert Slider("w", range(5), 2).page_step() == 1
    assert Slider("w", range(41), 0).page_step() == 4


def test_patches_turn_the_figure_shown_into_the_figure_at_each_other_option():
    def figure_at(i: int) -> dict:
        return plain(go.Figure(go.Bar(x=["a", "b"], y=[i, 2 * i]), layout=dict(title=f"at {i}", height=300)))

    def charts_at(i: int) -> dict:
        return {"bars": figure_at(i), "line": plain(go.Figure(go.Scatter(y=[1, i])))}

    slider = Slider("i", list(range(7)), 3)
    patches = json.loads(slider_patches(slider, charts_at, charts_at(3)))
    assert {p["value"] for p in patches} == {0, 1, 2, 4, 5, 6}
    for p in patches:
        for name, figure in charts_at(p["value"]).items():
            assert apply_patch(charts_at(3)[name], p["charts"][name]) == figure
    # Made against nothing (a live run's charts): each patch is the whole figure, whatever is shown.
    whole = json.loads(slider_patches(slider, charts_at, None))
    assert all(apply_patch({"data": [], "layout": {}}, p["charts"]["bars"]) == figure_at(p["value"]) for p in whole)


def test_a_group_slider_not_moved_last_gets_its_nearest_patches_only():
    assert patches_wanted("p", moved_last="p") is None and patches_wanted("decay", moved_last="p") == 2
    slider = Slider("i", list(range(9)), 4)
    near = json.loads(slider_patches(slider, lambda i: {"c": plain(go.Figure(go.Bar(y=[i])))}, None, max_patches=2))
    assert sorted(p["value"] for p in near) == [3, 5]


def test_the_figure_is_sent_with_its_height_and_template_but_not_a_width():
    sent = json.loads(figure_text(go.Figure(go.Bar(y=[1]), layout=dict(width=800, height=300))))
    assert sent["layout"]["height"] == 300 and "template" in sent["layout"] and "width" not in sent["layout"]
