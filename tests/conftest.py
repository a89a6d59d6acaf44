import os
import tempfile
from pathlib import Path

import pytest

# The suite's app sessions and servers keep frontiers in a folder of their own, not the checkout's .cache/, and
# compute none in the background unless a test asks (tests/browser/test_frontier_browser.py does).
os.environ["SAE_PLAYGROUND_CACHE"] = tempfile.mkdtemp(prefix="sae-playground-test-cache-")
os.environ["SAE_PLAYGROUND_BACKGROUND"] = "0"

from app_core.live import background, redraw_pacing


# Tiers by folder, so `make unit` runs in seconds and `make test` runs everything: a test's tier is where it lives.
TIERS = {"browser": "browser", "load": "browser", "pages": "apptest", "interop": "interop", "fuzz": "fuzz"}


def pytest_collection_modifyitems(items):
    for item in items:
        parts = item.path.relative_to(Path(__file__).parent).parts
        if parts and parts[0] in TIERS:
            item.add_marker(TIERS[parts[0]])


@pytest.fixture(autouse=True)
def no_training_thread_outlives_its_test():
    # A runner left training (a page left playing) would share the cores with later tests.
    yield
    background.close_all()


@pytest.fixture(autouse=True)
def a_fresh_redraw_pacer(monkeypatch):
    # What one test's pages cost (AppTest runs are slow) must not stretch the next test's redraw periods.
    monkeypatch.setattr(redraw_pacing, "_pacer", redraw_pacing.RedrawPacer())


def pytest_terminal_summary(terminalreporter):
    """Seconds per test file, slowest first, printed last: CI shows only the end of its log."""
    per_file: dict[str, float] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) in ("setup", "call", "teardown"):
                path = report.nodeid.split("::")[0]
                per_file[path] = per_file.get(path, 0.0) + report.duration
    if per_file:
        terminalreporter.write_sep("-", f"seconds per test file (all: {sum(per_file.values()):.0f} s)")
        for path, seconds in sorted(per_file.items(), key=lambda kv: -kv[1])[:25]:
            terminalreporter.write_line(f"{seconds:7.1f}  {path}")
