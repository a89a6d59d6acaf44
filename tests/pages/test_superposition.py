import json

import pytest

from app_core.state.superposition import DECAYS, PROBABILITIES

from components.slider_preview import NEIGHBOUR_FRAMES

from .conftest import on_page
from .previews import assert_frames_are_what_the_page_draws, preview


@pytest.fixture
def app():
    return on_page("superposition")


def metric(at, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def arrows(at):
    return next(c for c in at.get("plotly_chart") if "sp_arrows" in str(c.proto.id)).proto.spec


def test_step_trains_and_the_arrows_move(app):
    at = app.run()
    assert not at.exception and metric(at, "Step") == "0 / 1,500"
    before = arrows(at)
    for _ in range(15):
        at.button(key="sp_step").click().run()
    assert metric(at, "Step") == "1,500 / 1,500" and arrows(at) != before
    assert metric(at, "Features kept") == "5 of 5"
    assert "Superposition" in at.success[0].body


def test_dense_features_drop_to_two_and_the_url_follows(app):
    at = app.run()
    at.select_slider(key="sp_p").set_value(1.0).run()
    assert at.query_params["p"] == "1"
    for _ in range(15):
        at.button(key="sp_step").click().run()
    assert metric(at, "Features kept") == "2 of 5" and "No superposition" in at.warning[0].body


def test_a_link_restores_the_state_and_a_tampered_one_says_so():
    at = on_page("superposition")
    at.query_params.update({"p": "0.3", "features": "7", "decay": "banana"})
    at.run()
    assert not at.exception
    assert at.select_slider(key="sp_p").value == 0.3 and at.slider(key="sp_features").value == 7
    assert at.select_slider(key="sp_decay").value == 0.9
    assert any("decay" in w.body for w in at.warning)


def test_the_train_page_link_carries_the_data():
    at = on_page("superposition").run()
    link = next(e for e in at.get("page_link") if e.proto.page == "train")
    assert "source=toy&toy_features=5&toy_d=2&toy_prob=0.05" in link.proto.query_string


def test_the_features_sliders_frames_are_the_new_runs_the_page_draws_there(app):
    at = app.run()
    values = assert_frames_are_what_the_page_draws(
        at, "sp_features", lambda at, v: at.slider(key="sp_features").set_value(int(v)).run(), how_many=5)
    assert sorted(values) == [3, 4, 6, 7, 8]  # all the other positions (a few small charts)
    # Trained, the charts on screen are the run's; a frame is a new run's first picture, whatever is shown.
    for _ in range(3):
        at.button(key="sp_step").click().run()
    assert_frames_are_what_the_page_draws(at, "sp_features",
                                          lambda at, v: at.slider(key="sp_features").set_value(int(v)).run(), 1)


@pytest.mark.parametrize("name, options", [("p", PROBABILITIES), ("decay", DECAYS)])
def test_the_sparsity_and_decay_sliders_frames_are_the_new_runs_the_page_draws_there(app, name, options):
    at = app.run()
    # Before it moves, its two nearest positions (a first key press), each what the page then draws.
    before = preview(at, f"sp_{name}")["frames"]
    assert len(before) == NEIGHBOUR_FRAMES < len(preview(at, "sp_features")["frames"])
    assert_frames_are_what_the_page_draws(
        at, f"sp_{name}", lambda at, i: at.select_slider(key=f"sp_{name}").set_value(options[int(i)]).run(), 1)
    at.select_slider(key=f"sp_{name}").set_value(options[1]).run()  # moved last (again): all its frames
    assert len(preview(at, f"sp_{name}")["frames"]) > NEIGHBOUR_FRAMES
    assert len(preview(at, "sp_features")["frames"]) == NEIGHBOUR_FRAMES
    for _ in range(2):  # trained: each frame is a new run's first picture, not the charts on screen
        at.button(key="sp_step").click().run()
    data = preview(at, f"sp_{name}")
    # A select_slider's range input holds the option's index: the frames are keyed by it.
    assert data["current"] == options.index(getattr(at.session_state["sp_state"], name))
    positions = assert_frames_are_what_the_page_draws(
        at, f"sp_{name}", lambda at, i: at.select_slider(key=f"sp_{name}").set_value(options[int(i)]).run(), 2)
    assert all(isinstance(i, int) and 0 <= i < len(options) for i in positions)
    assert getattr(at.session_state["sp_state"], name) == options[positions[-1]]


def test_a_playing_run_sends_no_frames(app):
    at = app.run()
    assert preview(at, "sp_features")["frames"]
    at.button(key="sp_play").click().run()
    assert preview(at, "sp_features")["frames"] == []
