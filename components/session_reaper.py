"""Ends the sessions Streamlit keeps for a reconnect once their time is up, so that their memory goes back.

A browser that disconnects leaves its session (its session state: on a training page, the model, its optimiser and
its run's history) in Streamlit's store for `server.disconnectedSessionTTL` seconds, in case it comes back. Two
things in Streamlit 1.67 keep it longer:
- the store (a TTL cache) forgets an expired session only when something next writes to it or asks its length,
  that is, when the next visitor connects. A room leaves together and nobody comes after it: in the load
  benchmark, 15 training visitors' runs (450 tensors, ~90 MiB) stayed after all had gone, until the server ended;
- a session the store forgets is never shut down (`AppSession.shutdown` is what lets go of its images in the
  media file manager, its uploads and its script loop), unlike one a browser closes while connected.
So a thread asks the store to forget what has expired, every REAP_EVERY_S, under the session manager's own lock,
shuts each forgotten session down as Streamlit does for a closed one, and gives the freed heap back (again once the
server has no session left).

One session stays beyond this: Streamlit's event loop keeps a reference to the last session it served until it
serves another (a local variable of `Runtime._loop_coroutine`), so one visitor's state at most.

It reaches into Streamlit's private attributes (the version is pinned); if they move, `reaper_supported()` turns
false and a test says so, rather than the app failing: the memory then waits for the next visitor, as before.
"""

from __future__ import annotations

import threading
import time
import traceback

import streamlit as st
from streamlit import runtime

from components.runtime_tuning import release_freed_memory

REAP_EVERY_S = 5.0


def _store():
    """(the session manager's lock, its TTL cache of disconnected sessions), or None where Streamlit differs."""
    if not runtime.exists():
        return None
    manager = getattr(runtime.get_instance(), "_session_mgr", None)
    lock = getattr(manager, "_storage_lock", None)
    cache = getattr(getattr(manager, "_session_storage", None), "_cache", None)
    if lock is None or not callable(getattr(cache, "expire", None)):
        return None
    return lock, cache


def _no_sessions() -> bool:
    """Whether the server holds no session at all, connected or kept for a reconnect."""
    manager = getattr(runtime.get_instance(), "_session_mgr", None)
    return manager is not None and not manager.list_sessions()


def reaper_supported() -> bool:
    return _store() is not None


def reap_expired_sessions() -> int:
    """Forget and shut down every stored session whose reconnect time is up; returns how many."""
    count = _forget_expired()
    if count:
        release_freed_memory()  # an AppSession holds reference cycles: they would wait for the next collection
    return count


def _forget_expired() -> int:
    store = _store()
    if store is None:
        return 0
    lock, cache = store
    with lock:
        expired = cache.expire()
    for _session_id, info in expired:
        try:
            info.session.shutdown()
        except Exception:  # one session that will not shut down must not keep the others' memory
            traceback.print_exc()
    return len(expired)


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
                # Once the room has gone, once more: what the last runs' threads let go of after the reap
                # (30 + 30 visitors on two replicas, 60 s: memory after they left +11% of idle → +9%).
                empty = _no_sessions()
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
