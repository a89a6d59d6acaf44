from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def app():
    """A fresh, not yet run, app session on the home page (set query params, then `.run()`)."""
    return AppTest.from_file(APP, default_timeout=60)


def on_page(page: str):
    """A fresh, not yet run, session that will open `pages/<page>.py` on its first run."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(f"pages/{page}.py")
    return at


def live_entry(at: AppTest, name: str):
    """What the session keeps in the app's job registry (components/live_session.py): `<page>_controller`, or
    "current_model"; None if it keeps nothing under that name."""
    from components.live_session import job_registry
    return job_registry().get(at.session_state["owner_id"], name) if "owner_id" in at.session_state else None


def give_model(at: AppTest, model) -> None:
    """Hand a not yet run session `model` as its current model, as a training page would."""
    import uuid

    from components.live_session import job_registry
    at.session_state["owner_id"] = owner = uuid.uuid4().hex
    job_registry().put(owner, "current_model", model)
