import itertools
import json

import pytest

from app_core.figures.slider_patches import KEPT_LAYOUT, apply_patch
from app_core.state.autoencoders import WIDTHS

from .conftest import live_entry, on_page

SEQ = itertools.count(1)


@pytest.fixture
def app():
    return on_page("autoencoders")


def metrics(at) -> list[tuple[str, str]]:
    return [(m.label, m.value) for m in at.metric]


def step_caption(at) -> str:
    return next(c.value for c in at.caption if c.value.startswith("Step "))


def sizes_component(at) -> dict:
    """The data of the interactive figure holding the sizes chart and the width slider."""
    (data,) = [json.loads(c.proto.json) for c in at.get("bidi_component")
               if c.proto.component_name.endswith("interactive_figure")]
    (chart,), (slider,) = json.loads(data["charts"]), json.loads(data["sliders"])
    return {**data, "figure": chart["figure"], "slider": slider, "patches": json.loads(data["patches"])["width"]}


def move_width(at, width, seq: int | None = None, index: int | None = None):
    """What the width slider sends when it moves to `width`."""
    index = WIDTHS.index(width) if index is None else index
    at.session_state["ae_sizes"] = {"value": {"index": index, "seq": next(SEQ) if seq is None else seq}}
    return at.run()


def code(at, arch: str):
    return next(c for c in at.get("plotly_chart") if f"ae_code_{arch}" in str(c.proto.id)).proto.spec


def test_nothing_trains_until_play_or_step(app):
    at = app.run()
    assert not at.exception and not at.metric and "Press **Play**" in at.info[0].body
    assert not live_entry(at, "autoencoders_controller").has_run


def test_step_trains_both_and_l1_acts_on_the_sparse_one_mid_run(app):
    at = app.run()
    at.button(key="ae_step").click().run()
    assert not at.exception
    (bottleneck_label, bottleneck_l0), _, _, (sparse_label, sparse_l0), (_, sparse_fve), _ = metrics(at)
    assert bottleneck_label.endswith("of 16") and sparse_label.endswith("of 256")
    assert float(sparse_l0) / 256 < float(bottleneck_l0) / 16  # long and mostly zero against short and dense
    assert float(sparse_fve.rstrip("%")) > 50  # recognisable already after 25 steps
    before = code(at, "relu")
    at.select_slider(key="ae_l1").set_value(10.0).run()
    assert at.query_params["l1"] == "10"
    at.button(key="ae_step").click().run()
    assert "Step 50" in step_caption(at)  # the same pair went on training
    assert float(metrics(at)[3][1]) < float(sparse_l0) and code(at, "relu") != before


def test_a_new_width_restarts_the_bottleneck_alone(app):
    at = app.run()
    at.button(key="ae_step").click().run()
    pair = live_entry(at, "autoencoders_controller")._run
    sparse, sparse_metrics = pair.sparse, metrics(at)[3:]
    move_width(at, 8)
    assert not at.exception and metrics(at)[0][0].endswith("of 8")
    assert live_entry(at, "autoencoders_controller")._run is pair and pair.sparse is sparse
    assert metrics(at)[3:] == sparse_metrics  # the sparse model was not restarted, nor even pictured anew
    assert step_caption(at).startswith("Step 25 — the bottleneck started afresh at 8 latents") and "0 steps" in \
        step_caption(at)
    at.button(key="ae_step").click().run()
    assert step_caption(at).startswith("Step 50") and "has taken 25 steps since" in step_caption(at)


def test_a_new_lambda_leaves_the_bottleneck_as_it_was(app):
    at = app.run()
    at.button(key="ae_step").click().run()
    controller = live_entry(at, "autoencoders_controller")
    bottleneck, picture = controller._run.bottleneck, controller.snapshot().bottleneck
    bottleneck_metrics = metrics(at)[:3]
    at.select_slider(key="ae_l1").set_value(5.0).run()
    assert controller._run.bottleneck is bottleneck and metrics(at)[:3] == bottleneck_metrics
    assert controller.snapshot().bottleneck is picture  # not even pictured anew: only the sparse model moved
    assert "both models have taken the same steps" in step_caption(at)


def test_the_code_sizes_are_drawn_before_training_and_follow_the_width(app):
    def sizes(at) -> dict:
        return {trace["name"]: trace["text"] for trace in sizes_component(at)["figure"]["data"]}

    at = app.run()
    assert sizes(at) == {"bottleneck: 16 latents": ["784", "16", "784"], "sparse: 256 latents": ["784", "256", "784"]}
    slider = sizes_component(at)["slider"]
    assert slider["options"] == [str(w) for w in WIDTHS] and slider["index"] == WIDTHS.index(16)  # the range travels
    move_width(at, 32)
    assert sizes(at)["bottleneck: 32 latents"] == ["784", "32", "784"] and at.query_params["width"] == "32"
    assert sizes_component(at)["slider"]["index"] == WIDTHS.index(32)
    assert not live_entry(at, "autoencoders_controller").has_run  # a drawing, no torch


def test_a_width_move_is_carried_out_once_and_acknowledged(app):
    at = app.run()
    move_width(at, 32, seq=5)
    assert sizes_component(at)["appliedSeq"] == 5
    move_width(at, 8, seq=5)  # the same number again: already carried out
    move_width(at, 8, seq=4)  # an older one, arriving late
    move_width(at, 8, seq=6, index=len(WIDTHS))  # out of range: a tampered message
    assert at.query_params["width"] == "32" and sizes_component(at)["appliedSeq"] == 5


def test_the_width_sliders_patches_are_the_sizes_the_page_draws_there(app):
    at = app.run()
    at.button(key="ae_step").click().run()  # training: the sizes chart is outside the live panel, patches still hold
    data = sizes_component(at)
    kept = {k: v for k, v in data["figure"]["layout"].items() if k in KEPT_LAYOUT}
    assert kept["height"] == 260 and "template" in kept  # drawn as made; no patch changes them
    assert sorted(p["value"] for p in data["patches"]) == [0, 1, 3, 4]  # every other width
    for patch in data["patches"]:
        move_width(at, WIDTHS[patch["value"]])
        assert not at.exception
        assert apply_patch(data["figure"], patch["charts"]["ae_sizes"]) == sizes_component(at)["figure"], patch["value"]
