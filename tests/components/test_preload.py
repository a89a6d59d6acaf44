"""A page drawn while another thread is still importing pandas (components/preload.py)."""

import asyncio
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from bench.streamlit_client import Visitor
from components.preload import PLOTLY_PEEKS_AT, load_what_plotly_peeks_at
from tests.browser.server import streamlit_server

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


threading.Thread(target=held_import, name="held-import", daemon=True).start()
'''


def test_it_loads_each_module_plotly_looks_up():
    load_what_plotly_peeks_at()
    assert all(name in sys.modules for name in PLOTLY_PEEKS_AT)
    assert sys.modules["pandas"].Series and sys.modules["PIL.Image"].Image and sys.modules["numpy"].ndarray


@pytest.mark.timeout(240)
def test_a_page_drawn_while_pandas_is_half_imported_waits_for_it(tmp_path):
    # Without the preload, the Norms page's first figure met the half-made pandas in sys.modules and the page
    # showed "partially initialized module 'pandas' has no attribute 'Series'".
    (tmp_path / "sitecustomize.py").write_text(textwrap.dedent(HELD_IMPORT))
    release = tmp_path / "release"
    env = {"PYTHONPATH": str(tmp_path), "HELD_IMPORT_RELEASE": str(release), "SAE_PLAYGROUND_BACKGROUND": "0"}
    with streamlit_server(env=env) as url:
        Path(f"{release}.start").touch()
        holding = Path(f"{release}.holding")
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
        worker.join(4.0)  # long enough for the page to be drawn, had it not waited
        released_at = time.monotonic()
        release.touch()
        worker.join(120)
    assert visits, "the page never finished"
    assert visits[0].errors == []
    assert finished_at[0] >= released_at  # it waited for the import rather than running beside it
    assert "L1 solution" in visits[0].metrics  # and drew the page
