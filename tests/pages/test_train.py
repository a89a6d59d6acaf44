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
