"""A session whose browser has gone is let go once its reconnect time is up, though no visitor leaves after it.

Streamlit forgets an expired session only when the next one disconnects (a write to its store); until then the
session's state stays in memory (small keys: models, optimisers and histories live in the job registry,
app_core/live/job_registry.py, and go by its own timeout).
components/session_reaper.py forgets and shuts it down on time."""

import asyncio
import time

import pytest

from bench.streamlit_client import Visitor
from components.session_reaper import REAP_EVERY_S
from tests.browser.server import ROOT, run_visits, streamlit_server

pytestmark = pytest.mark.slow  # starts a server and waits out a session's TTL

# The app keeps one object in each session's state and records which session's object Python frees.
APP = '''
import os, weakref
import streamlit as st
from components.session_reaper import start_session_reaper

class Held:
    pass

if "held" not in st.session_state:
    who = st.query_params.get("who", "?")
    st.session_state.held = Held()
    weakref.finalize(st.session_state.held, lambda: open(os.environ["FREED_FILE"], "a").write(who + "\\n"))
st.write("holding")
start_session_reaper()
'''
TTL_S = 1


async def _first_leaves_second_stays(url: str, freed) -> tuple[list[str], list[str]]:
    """(what was freed while the first visitor's TTL ran, what was freed by the time the reaper had had time)."""
    async with Visitor(url, "", "who=first") as first:
        assert first.visit.errors == []
    # The second visitor stays connected: nothing disconnects, so nothing writes to Streamlit's session store.
    # (Streamlit's event loop keeps a reference to the last session it served: the second one, not the first.)
    async with Visitor(url, "", "who=second") as second:
        assert second.visit.errors == []
        await asyncio.sleep(TTL_S * 0.5)
        early = freed.read_text().split() if freed.exists() else []
        deadline = time.monotonic() + TTL_S + 3 * REAP_EVERY_S
        while time.monotonic() < deadline and not freed.exists():
            await asyncio.sleep(0.2)
        late = freed.read_text().split() if freed.exists() else []
    return early, late


@pytest.mark.timeout(120)
def test_a_departed_sessions_state_is_freed_after_its_ttl(tmp_path):
    app = tmp_path / "holding_app.py"
    app.write_text(APP)
    freed = tmp_path / "freed.txt"
    env = {"PYTHONPATH": str(ROOT), "FREED_FILE": str(freed), "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(TTL_S)}
    with streamlit_server(app=str(app), env=env) as url:
        early, late = run_visits(lambda: _first_leaves_second_stays(url, freed), 100)
    assert early == []  # kept for a reconnect until its TTL is up
    assert late == ["first"], late  # then let go; the connected visitor's state is kept
