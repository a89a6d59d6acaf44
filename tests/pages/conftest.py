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
