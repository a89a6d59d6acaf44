"""A page drawn while another thread is still importing pandas (components/preload.py)."""

import asyncio
import os
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from bench.streamlit_client import Visitor
from components.preload import PLOTLY_PEEKS_AT
from tests.browser.server import streamlit_server

pytestmark = pytest.mark.slow  # imports pandas in fresh interpreters

# Loaded by the server's interpreter at start-up (Python imports `sitecustomize` from PYTHONPATH): a thread that,
# once told to start, imports pandas and stays inside that import until told to go on, as a visitor's first
# Frontier page does for ~0.2 s on a fresh server.
HELD_IMPORT = '''
import importlib.abc, os, sys, threading, time

RELEASE = os.environ["HELD_IMPORT_RELEASE"]


class HoldPandas(importlib.abc.MetaPathFinder):
    """Stalls pandas.core.api's execution in the "held-import" thread. Not in find_spec: Python calls the finders
    holding its global import lock, which would stall every thread's imports."""

    def find_spec(self, name, path=None, target=None):
        if name != "pandas.core.api" or threading.current_thread().name != "held-import":
            return None
        spec = next(s for f in sys.meta_path if f is not self for s in [f.find_spec(name, path, target)] if s)
        real = spec.loader

        class Held(importlib.abc.Loader):
            def create_module(self, spec):
                return real.create_module(spec)

            def exec_module(self, module):
                open(RELEASE + ".holding", "w").close()
                wait_for(RELEASE)
                real.exec_module(module)

        spec.loader = Held()
        return spec


sys.meta_path.insert(0, HoldPandas())


def wait_for(path: str) -> None:
    deadline = time.monotonic() + 120
    while not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.05)


def held_import() -> None:
    wait_for(RELEASE + ".start")  # once the server is up: Streamlit's own start-up builds a Plotly figure
    __import__("pandas")


def waiting_on_pandas(frame) -> bool:
    """Whether this stack is inside an import of pandas: for any thread but the held one, waiting for it."""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib") and frame.f_locals.get("name") == "pandas":
            return True
        frame = frame.f_back
    return False


def report_a_waiter() -> None:
    """Writes RELEASE.waiting once a thread other than the held one is waiting for pandas' import."""
    wait_for(RELEASE + ".holding")
    while not os.path.exists(RELEASE):
        held = next((t.ident for t in threading.enumerate() if t.name == "held-import"), None)
        if any(ident != held and waiting_on_pandas(f) for ident, f in sys._current_frames().items()):
            open(RELEASE + ".waiting", "w").close()
            return
        time.sleep(0.05)


threading.Thread(target=held_import, name="held-import", daemon=True).start()
threading.Thread(target=report_a_waiter, name="waiter-watch", daemon=True).start()
'''


def test_it_loads_every_module_plotly_looks_up_without_importing():
    # Plotly's own list, read from its source: an upgrade that starts peeking at another module fails here.
    import re

    import _plotly_utils
    import plotly

    peeked = set()
    for package in (plotly, _plotly_utils):
        for source in Path(package.__file__).parent.rglob("*.py"):
            peeked |= set(re.findall(r'get_module\(\s*"([\w.]+)"\s*,\s*should_load=False',
                                     source.read_text(encoding="utf-8")))
    assert "pandas" in peeked  # the search finds what it looks for
    assert peeked - {"sage.all"} <= set(PLOTLY_PEEKS_AT), peeked  # SageMath: not installed, never half imported


@pytest.mark.timeout(240)
def test_a_page_drawn_while_pandas_is_half_imported_waits_for_it(tmp_path):
    # Without the preload, the Norms page's first figure met the half-made pandas in sys.modules and the page
    # showed "partially initialized module 'pandas' has no attribute 'Series'".
    (tmp_path / "sitecustomize.py").write_text(textwrap.dedent(HELD_IMPORT))
    release = tmp_path / "release"
    path = os.pathsep.join(p for p in (str(tmp_path), os.environ.get("PYTHONPATH", "")) if p)
    env = {"PYTHONPATH": path, "HELD_IMPORT_RELEASE": str(release), "SAE_PLAYGROUND_BACKGROUND": "0"}
    with streamlit_server(env=env) as url:
        Path(f"{release}.start").touch()
        holding, waiting = Path(f"{release}.holding"), Path(f"{release}.waiting")
        deadline = time.monotonic() + 60
        while not holding.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert holding.exists()  # pandas is half imported when the visitor comes
        visits, finished_at = [], []

        async def visit() -> None:
            async with Visitor(url, "norms") as visitor:
                finished_at.append(time.monotonic())
                visits.append(visitor.visit)

        worker = threading.Thread(target=lambda: asyncio.run(visit()))  # Playwright may own this thread's loop
        worker.start()
        # The page either runs beside the import (and meets the half-made pandas) or waits for it.
        deadline = time.monotonic() + 120
        while worker.is_alive() and not waiting.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        released_at = time.monotonic()
        release.touch()
        worker.join(120)
    assert visits, "the page never finished"
    assert visits[0].errors == []
    assert waiting.exists() and finished_at[0] >= released_at  # it waited for the import to finish
    assert "L1 solution" in visits[0].metrics  # and drew the page
