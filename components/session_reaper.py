"""Ends the sessions Streamlit keeps for a reconnect once their time is up, so that their memory goes back.

A browser that disconnects leaves its session (its session state, media files and script loop; its runs live in the
job registry, which lets them go by its own clock: components/live_session.py) in Streamlit's store for
`server.disconnectedSessionTTL` seconds, in case it comes back. Two things in Streamlit 1.67 keep it longer:
- the store (a TTL cache) forgets an expired session only when something next writes to it or asks its length,
  that is, when the next visitor connects; a room that leaves together, with nobody after it, stays until then;
- a session the store forgets is never shut down (`AppSession.shutdown` is what lets go of its images in the
  media file manager, its uploads and its script loop), unlike one a browser closes while connected.
So a thread asks the store to forget what has expired, every REAP_EVERY_S, under the session manager's own lock,
shuts each forgotten session down as Streamlit does for a closed one, and gives the freed heap back (again once the
server has no session left).

One session stays beyond this: Streamlit's event loop keeps a reference to the last session it served until it
serves another (a local variable of `Runtime._loop_coroutine`), so one visitor's state at most.

Streamlit's private store is reached through components/streamlit_internals.py; where it differs, nothing is
forgotten early and the memory waits for the next visitor, as before.
"""

from __future__ import annotations

import threading
import time
import traceback

import streamlit as st

from components.runtime_tuning import release_freed_memory
from components.streamlit_internals import forget_expired_sessions, server_has_no_sessions, session_store_reachable

REAP_EVERY_S = 5.0


def reaper_supported() -> bool:
    return session_store_reachable()


def reap_expired_sessions() -> int:
    """Forget and shut down every stored session whose reconnect time is up; returns how many."""
    count = forget_expired_sessions()
    if count:
        release_freed_memory()  # an AppSession holds reference cycles: they would wait for the next collection
    return count


@st.cache_resource(show_spinner=False)
def _reaper() -> threading.Thread | None:
    if not reaper_supported():
        return None

    def work() -> None:
        trimmed_while_empty = False
        while True:
            time.sleep(REAP_EVERY_S)
            try:
                reap_expired_sessions()
                # Once the room has gone, once more: what the last runs' threads let go of after the reap.
                empty = server_has_no_sessions()
                if empty and not trimmed_while_empty:
                    release_freed_memory()
                trimmed_while_empty = empty
            except Exception:
                traceback.print_exc()

    thread = threading.Thread(target=work, name="session-reaper", daemon=True)
    thread.start()
    return thread


def start_session_reaper() -> None:
    """Called by app.py on every run: the first call starts the thread, later ones cost a cache lookup."""
    _reaper()
