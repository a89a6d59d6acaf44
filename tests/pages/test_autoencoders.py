import pytest

from app_core.state.autoencoders import WIDTHS

from .conftest import on_page
from .previews import assert_frames_are_what_the_page_draws, preview


@pytest.fixture
def app():
    return on_page("autoencoders")


def metrics(at) -> list[tuple[str, str]]:
    return [(m.label, m.value) for m in at.metric]


def step_caption(at) -> str:
    return next(c.value for c in at.caption if c.value.startswith("Step "))


def code(at, arch: str):
    return next(c for c in at.get("plotly_chart") if f"ae_code_{arch}" in str(c.proto.id)).proto.spec


def test_nothing_trains_until_play_or_step(app):
    at = app.run()
    assert not at.exception and not at.metric and "Press **Play**" in at.info[0].body
    assert not at.session_state["autoencoders_controller"].has_run


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
    pair = at.session_state["autoencoders_controller"]._run
    sparse, sparse_metrics = pair.sparse, metrics(at)[3:]
    at.select_slider(key="ae_width").set_value(8).run()
    assert not at.exception and metrics(at)[0][0].endswith("of 8")
    assert at.session_state["autoencoders_controller"]._run is pair and pair.sparse is sparse
    assert metrics(at)[3:] == sparse_metrics  # the sparse model was not restarted, nor even pictured anew
    assert step_caption(at).startswith("Step 25 — the bottleneck started afresh at 8 latents") and "0 steps" in \
        step_caption(at)
    at.button(key="ae_step").click().run()
    assert step_caption(at).startswith("Step 50") and "has taken 25 steps since" in step_caption(at)


def test_a_new_lambda_leaves_the_bottleneck_as_it_was(app):
    at = app.run()
    at.button(key="ae_step").click().run()
    controller = at.session_state["autoencoders_controller"]
    bottleneck, picture = controller._run.bottleneck, controller.snapshot().bottleneck
    bottleneck_metrics = metrics(at)[:3]
    at.select_slider(key="ae_l1").set_value(5.0).run()
    assert controller._run.bottleneck is bottleneck and metrics(at)[:3] == bottleneck_metrics
    assert controller.snapshot().bottleneck is picture  # not even pictured anew: only the sparse model moved
    assert "both models have taken the same steps" in step_caption(at)


def test_the_code_sizes_are_drawn_before_training_and_follow_the_width(app):
    import json

    def sizes(at) -> dict:
        spec = json.loads(next(c for c in at.get("plotly_chart") if "ae_sizes" in str(c.proto.id)).proto.spec)
        return {trace["name"]: trace["text"] for trace in spec["data"]}

    at = app.run()
    assert sizes(at) == {"bottleneck: 16 latents": ["784", "16", "784"], "sparse: 256 latents": ["784", "256", "784"]}
    at.select_slider(key="ae_width").set_value(32).run()
    assert sizes(at)["bottleneck: 32 latents"] == ["784", "32", "784"]
    assert not at.session_state["autoencoders_controller"].has_run  # a drawing, no torch


def test_the_width_sliders_frames_are_the_sizes_the_page_draws_there(app):
    at = app.run()
    at.button(key="ae_step").click().run()  # training: the sizes chart is outside the live panel, frames still hold
    data = preview(at, "ae_width")
    assert data["current"] == WIDTHS.index(16)  # a select_slider's range input holds the option's index
    positions = assert_frames_are_what_the_page_draws(
        at, "ae_width", lambda at, i: at.select_slider(key="ae_width").set_value(WIDTHS[int(i)]).run(), how_many=4)
    assert sorted(positions) == [0, 1, 3, 4]  # every other width
