import itertools
import json

import pytest

from app_core.figures.slider_patches import KEPT_LAYOUT, apply_patch
from app_core.state.superposition import DECAYS, PROBABILITIES
from components.interactive_figure import NEIGHBOUR_PATCHES

from .conftest import on_page

SEQ = itertools.count(1)
OPTIONS = {"p": PROBABILITIES, "decay": DECAYS, "features": tuple(range(3, 9))}


@pytest.fixture
def app():
    return on_page("superposition")


def metric(at, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def figure(at) -> dict:
    """The data of the interactive figure holding the sliders and the live panel's charts, parsed."""
    (data,) = [json.loads(c.proto.json) for c in at.get("bidi_component")
               if c.proto.component_name.endswith("interactive_figure")]
    return {**data, "charts": {c["name"]: c["figure"] for c in json.loads(data["charts"])},
            "sliders": {s["name"]: s for s in json.loads(data["sliders"])}, "patches": json.loads(data["patches"])}


def shown(chart: dict) -> dict:
    return {"data": chart["data"], "layout": {k: v for k, v in chart["layout"].items() if k not in KEPT_LAYOUT}}


def move(at, name: str, value, **others):
    """What the figure sends when slider `name` moves to `value` (the others where the page has them)."""
    indices = {n: s["index"] for n, s in figure(at)["sliders"].items()}
    indices.update({name: OPTIONS[name].index(value)}, **{n: OPTIONS[n].index(v) for n, v in others.items()})
    at.session_state["sp_figure"] = {"value": {"slider": name, "index": indices[name], "indices": indices,
                                               "seq": next(SEQ)}}
    return at.run()


def test_step_trains_and_the_arrows_move(app):
    at = app.run()
    assert not at.exception and metric(at, "Step") == "0 / 1,500"
    before = figure(at)["charts"]["sp_arrows"]
    for _ in range(15):
        at.button(key="sp_step").click().run()
    assert metric(at, "Step") == "1,500 / 1,500" and figure(at)["charts"]["sp_arrows"] != before
    assert metric(at, "Features kept") == "5 of 5"
    assert "Superposition" in at.success[0].body


def test_dense_features_drop_to_two_and_the_url_follows(app):
    at = app.run()
    move(at, "p", 1.0)
    assert at.query_params["p"] == "1"
    for _ in range(15):
        at.button(key="sp_step").click().run()
    assert metric(at, "Features kept") == "2 of 5" and "No superposition" in at.warning[0].body


def test_a_link_restores_the_state_and_a_tampered_one_says_so():
    at = on_page("superposition")
    at.query_params.update({"p": "0.3", "features": "7", "decay": "banana"})
    at.run()
    assert not at.exception
    sliders = figure(at)["sliders"]
    assert sliders["p"]["options"][sliders["p"]["index"]] == "0.3"  # the ranges and labels travel in the data
    assert sliders["features"]["options"] == ["3", "4", "5", "6", "7", "8"] and sliders["features"]["index"] == 4
    assert sliders["decay"]["options"][sliders["decay"]["index"]] == "0.9"
    assert any("decay" in w.body for w in at.warning)


def test_the_train_page_link_carries_the_data():
    at = on_page("superposition").run()
    link = next(e for e in at.get("page_link") if e.proto.page == "train")
    assert "source=toy&toy_features=5&toy_d=2&toy_prob=0.05" in link.proto.query_string


def test_a_move_is_carried_out_once_and_a_tampered_one_changes_nothing(app):
    at = move(app.run(), "features", 7)
    assert at.query_params["features"] == "7" and metric(at, "Features kept").endswith("of 7")
    applied = figure(at)["appliedSeq"]
    at.session_state["sp_figure"] = {"value": {"slider": "features", "index": 0, "indices": {"features": 0},
                                               "seq": applied}}  # the same number again
    at.run()
    for bad in ({"features": 9}, {"features": True}, {"colour": 1}, {"features": "2"}):
        at.session_state["sp_figure"] = {"value": {"slider": "features", "index": 0, "indices": bad, "seq": next(SEQ)}}
        at.run()
        assert not at.exception
    assert at.query_params["features"] == "7" and figure(at)["appliedSeq"] == applied


def test_two_sliders_moved_before_the_page_answered_are_both_carried_out(app):
    at = move(app.run(), "decay", 0.5, p=0.2)  # p moved first, its message overtaken by decay's
    assert at.query_params["p"] == "0.2" and at.query_params["decay"] == "0.5"


@pytest.mark.parametrize("name", ["features", "p", "decay"])
def test_each_sliders_patches_are_the_new_runs_the_page_draws_there(app, name):
    at = app.run()
    for _ in range(2):  # trained: a patch is a new run's first picture, not the charts on screen
        at.button(key="sp_step").click().run()
    if name != "features":  # not moved yet: its nearest options only (a first key press)
        assert len(figure(at)["patches"][name]) == NEIGHBOUR_PATCHES
        move(at, name, OPTIONS[name][OPTIONS[name].index(getattr(at.session_state["sp_state"], name)) - 1])
        at.button(key="sp_step").click().run()
        assert len(figure(at)["patches"]["features"]) == NEIGHBOUR_PATCHES
    data = figure(at)
    patches = data["patches"][name]
    assert len(patches) > NEIGHBOUR_PATCHES and all(set(p["charts"]) == set(data["charts"]) for p in patches)
    for patch in patches[:2] + patches[-1:]:
        at = move(at, name, OPTIONS[name][patch["value"]])
        assert not at.exception and metric(at, "Step") == "0 / 1,500"
        for key, chart in figure(at)["charts"].items():
            assert apply_patch(shown(data["charts"][key]), patch["charts"][key]) == shown(chart), (patch["value"], key)


def test_a_playing_run_sends_no_patches(app):
    at = app.run()
    assert figure(at)["patches"]["features"]
    at.button(key="sp_play").click().run()
    assert figure(at)["patches"] == {}
    at.button(key="sp_play").click().run()


def test_a_scene_leaves_out_the_sliders_and_the_charts_it_hides():
    from .test_scenes import _open

    at = _open("sp-dense")
    assert not at.exception
    assert figure(at)["hidden"] == ["sp_norms", "sp_loss", "p", "decay", "features"]  # the arrows and WᵀW stay
    assert figure(on_page("superposition").run())["hidden"] == []  # not presenting: the whole figure
