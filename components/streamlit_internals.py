"""The one module that reaches past Streamlit's public API; tests/components/test_streamlit_internals.py pins every
private name used here against the pinned Streamlit (requirements.txt), and checks that no other module reaches in.

Three needs remain:
- Routing. Streamlit treats an app with a `pages/` folder as a legacy multipage app until `st.navigation` has been
  called once in the process, and decides it per run: a run that starts while that is so runs the requested page
  file alone (no app.py, no navigation, none of app.py's preparation). Two visitors arriving together at a fresh
  server can both start so, so a page cannot ask the process-wide flag whether *its* run was routed: app.py marks
  its own runs (`routed_run`), and a page run outside one (`ensure_router`, every page's first line) switches the
  legacy mode off and reruns.
- Letting go of sessions kept for a reconnect. Streamlit's store of disconnected sessions (a TTL cache) forgets an
  expired one only when something next writes to it, that is, when the next visitor connects, and never shuts a
  forgotten session down (`AppSession.shutdown` lets go of its media files, uploads and script loop).
  `forget_expired_sessions` does both, under the session manager's own lock (components/session_reaper.py calls it).
  Where Streamlit's store differs, `session_store_reachable()` is false and nothing is forgotten early.
- A server's first element. Streamlit checks once per process whether the app was started with `python app.py` by
  mistake, through `inspect.stack()`, which looks every frame's module up among all those loaded: a cost on a
  server's first paint (BENCHMARKS.md, "Streamlit's internals"). This app runs only under `streamlit run` or
  AppTest, where the check has nothing to say: `skip_direct_execution_check` marks it done.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
import streamlit.delta_generator as delta_generator
from streamlit import runtime
from streamlit.runtime.pages_manager import PagesManager

_this_thread = threading.local()  # a session's runs follow one another on its script thread


# --- routing -------------------------------------------------------------------------------------------------------
@contextmanager
def routed_run() -> Iterator[None]:
    """app.py's whole run: pages run inside it know they were routed."""
    _this_thread.routed = True
    try:
        yield
    finally:
        _this_thread.routed = False


def ensure_router() -> None:
    """A page's first line: a run that did not come through app.py turns legacy pages/ mode off and reruns."""
    if not getattr(_this_thread, "routed", False):
        PagesManager.uses_pages_directory = False
        st.rerun()


# --- sessions kept for a reconnect ---------------------------------------------------------------------------------
def _session_manager():
    if not runtime.exists():
        return None
    return getattr(runtime.get_instance(), "_session_mgr", None)


def _session_store():
    """(the session manager's lock, its TTL cache of disconnected sessions), or None where Streamlit differs."""
    manager = _session_manager()
    lock = getattr(manager, "_storage_lock", None)
    cache = getattr(getattr(manager, "_session_storage", None), "_cache", None)
    if lock is None or not callable(getattr(cache, "expire", None)):
        return None
    return lock, cache


def session_store_reachable() -> bool:
    return _session_store() is not None


def forget_expired_sessions() -> int:
    """Forget and shut down every stored session whose reconnect time is up; returns how many."""
    store = _session_store()
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


def server_has_no_sessions() -> bool:
    """Whether the server holds no session at all, connected or kept for a reconnect."""
    manager = _session_manager()
    return manager is not None and not manager.list_sessions()


# --- a server's first element --------------------------------------------------------------------------------------
def skip_direct_execution_check() -> None:
    """Mark Streamlit's once-per-process check for `python app.py` done; a Streamlit without the flag is left as is."""
    if hasattr(delta_generator, "_use_warning_has_been_displayed"):
        delta_generator._use_warning_has_been_displayed = True
