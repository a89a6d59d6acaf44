"""A departed visitor's run is let go by the job registry once its reconnect time is up, though Streamlit still holds
the session (nobody connects after it, so Streamlit's store forgets nothing), and no reaper runs."""

import asyncio
import time

import pytest

from bench.streamlit_client import Visitor
from tests.browser.server import ROOT, run_visits, streamlit_server

pytestmark = pytest.mark.slow  # starts a server and waits out a session's TTL

# Each visitor's controller records, when closed, whose it was (its owner is "<owner id>:<page>", the page its name).
APP = '''
import os
import streamlit as st
from app_core.live import JobController
from components.live_session import job_controller

class Recorded(JobController):
    def close(self):
        super().close()
        open(os.environ["CLOSED_FILE"], "a").write(self.owner.split(":")[1] + "\\n")

job_controller(st.query_params.get("who", "?"), Recorded)
st.write("holding")
'''
TTL_S = 1
SWEEP_S = 1  # the registry looks every min(TTL, 5) s, at least every 0.5 s


async def _first_leaves_second_stays(url: str, closed) -> tuple[list[str], list[str]]:
    """(what was closed while the first visitor's TTL ran, what was closed by the time the registry had looked)."""
    async with Visitor(url, "", "who=first") as first:
        assert first.visit.errors == []
    async with Visitor(url, "", "who=second") as second:
        assert second.visit.errors == []
        await asyncio.sleep(TTL_S * 0.5)
        early = closed.read_text().split() if closed.exists() else []
        deadline = time.monotonic() + TTL_S + 5 * SWEEP_S
        while time.monotonic() < deadline and not closed.exists():
            await asyncio.sleep(0.2)
        await asyncio.sleep(2 * SWEEP_S)  # the connected visitor's run would be closed by now, were it due
        late = closed.read_text().split() if closed.exists() else []
    return early, late


@pytest.mark.timeout(120)
def test_a_departed_visitors_run_is_closed_after_the_ttl_and_a_connected_ones_kept(tmp_path):
    app = tmp_path / "controller_app.py"
    app.write_text(APP)
    closed = tmp_path / "closed.txt"
    env = {"PYTHONPATH": str(ROOT), "CLOSED_FILE": str(closed), "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(TTL_S)}
    with streamlit_server(app=str(app), env=env) as url:
        early, late = run_visits(lambda: _first_leaves_second_stays(url, closed), 100)
    assert early == []  # kept for a reconnect until its TTL is up
    assert late == ["first"], late
