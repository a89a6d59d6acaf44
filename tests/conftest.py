import os
import tempfile

import pytest

# The suite's app sessions and servers keep frontiers in a folder of their own, not the checkout's .cache/, and
# compute none in the background unless a test asks (tests/browser/test_frontier_browser.py does).
os.environ["SAE_PLAYGROUND_CACHE"] = tempfile.mkdtemp(prefix="sae-playground-test-cache-")
os.environ["SAE_PLAYGROUND_BACKGROUND"] = "0"

from app_core.live import background, redraw_pacing


@pytest.fixture(autouse=True)
def no_training_thread_outlives_its_test():
    # A runner left training (a page left playing) would share the cores with later tests.
    yield
    background.close_all()


@pytest.fixture(autouse=True)
def a_fresh_redraw_pacer(monkeypatch):
    # What one test's pages cost (AppTest runs are slow) must not stretch the next test's redraw periods.
    monkeypatch.setattr(redraw_pacing, "_pacer", redraw_pacing.RedrawPacer())
