import time

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from .conftest import live_entry, on_page


@pytest.fixture
def app():
    return on_page("train")


def controller(at):
    return live_entry(at, "train_controller")


def train_to_end(at: AppTest, limit_s: float = 60) -> AppTest:
    """Training runs on a background thread; each rerun is one refresh of the page."""
    at.button(key="tr_start").click().run()
    deadline = time.monotonic() + limit_s
    while controller(at).playing and time.monotonic() < deadline:
        time.sleep(0.3)
        at.run()
    return at


def test_toy_training_runs_to_the_end_and_shows_recovery(app):
    at = app.run()
    at.number_input(key="tr_epochs").set_value(5.0).run()
    train_to_end(at)
    assert not at.exception
    snap = controller(at).snapshot()
    assert snap.now.step == snap.target_steps
    assert any("true features found" in m.value for m in at.markdown)
    assert live_entry(at, "current_model").source == "the Train page"
    # The run lives in the job registry; session state keeps only small values, none of them the run or its model.
    heavy = (type(controller(at)), type(live_entry(at, "current_model")))
    kept = {key: type(value).__name__ for key, value in at.session_state.items()}
    assert not [key for key, value in at.session_state.items() if isinstance(value, heavy)], kept
    assert not any(type(value).__module__.startswith("torch") for value in at.session_state.values()), kept


def test_stop_works_at_once(app):
    at = app.run()
    at.number_input(key="tr_epochs").set_value(200.0).run()
    at.button(key="tr_start").click().run()
    time.sleep(0.5)
    at.button(key="tr_stop").click().run()
    assert not controller(at).playing
    snap = controller(at).snapshot()
    assert 0 < snap.now.step < snap.target_steps
    time.sleep(0.5)
    at.run()
    assert controller(at).snapshot().now.step == snap.now.step


@pytest.mark.parametrize("source,setup,message", [
    ("idx", lambda at: at.text_input(key="tr_idx_folder").set_value("/no/such/folder"), "not a folder"),
    ("idx", lambda at: None, "type the path"),
    ("idx", lambda at: at.text_input(key="tr_idx_folder").set_value("/tmp/" + "x" * 300), "not a usable folder"),
])
def test_bad_data_gives_a_message_and_changes_nothing(app, source, setup, message):
    at = app.run()
    at.selectbox(key="tr_source").set_value(source).run()
    setup(at)
    at.run()
    assert any(message in w.value.lower() for w in at.warning), [w.value for w in at.warning]
    assert at.button(key="tr_start").disabled
    assert controller(at) is None or not controller(at).has_run


def test_model_zip_round_trip_through_the_loader(app, tmp_path):
    at = app.run()
    at.number_input(key="tr_epochs").set_value(2.0).run()
    train_to_end(at)
    from sae_core.evaluation.evaluate import run_model
    from sae_core.models.persistence import from_zip

    trained = controller(at).trained_model("test")
    model, _, cfg = from_zip(controller(at).export_zip("sae"))
    assert cfg["d_sae"] == trained.model.d_sae
    x = trained.data.x[:50]
    np.testing.assert_allclose(run_model(model, trained.hp, x, 1.0)[0],
                               run_model(trained.model, trained.hp, x, trained.input_scale)[0], atol=1e-4)
    assert any(b.proto.label.startswith("Download (SAELens") for b in at.get("download_button")), \
        "the model's download is offered after training"


def test_a_warm_scene_starts_from_the_run_prewarming_trained(monkeypatch):
    # No Train scene names a trained run today: one is added for this test, and the page must resume the run the
    # registry's builder trained ahead, under the same key (nothing trained again when the scene starts).
    from app_core.live import RunCache
    from app_core.state import codec
    from app_core.talk import scenes
    from app_core.talk.prewarm import prewarm_scene_runs
    from components import background_work
    from sae_core.data import load_dataset

    query = {"source": "toy", "arch": "topk", "latents": "32", "k": "4", "epochs": "2"}
    scene = scenes.Scene("tr-warm-probe", "train", "Warm", "q?", "a", query, warm_steps=120)
    monkeypatch.setitem(scenes._BY_SLUG, scene.slug, scene)
    cache = RunCache()
    monkeypatch.setattr(background_work, "scene_runs", lambda: cache)
    assert prewarm_scene_runs(cache, load_dataset, scenes=(scene,)) == [scene.slug]
    trained = len(cache._runs)
    at = on_page("train")
    for name, value in query.items():
        at.query_params[name] = value
    at.session_state["presenter_scene_start"] = scene.slug  # what presenter mode sets when it shows a scene
    at.run()
    assert not at.exception, at.exception
    assert len(cache._runs) == trained  # found under the page's own key
    snap = controller(at).snapshot()
    assert snap.now.step == 120 and snap.status == "paused" and snap.arch == "topk"
    assert at.session_state["tr_state"] == codec.from_query(type(at.session_state["tr_state"]), query)[0]
