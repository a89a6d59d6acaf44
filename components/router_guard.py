"""Keep every visit inside app.py's router, even the first visits to a fresh server via a deep link.

Streamlit treats an app with a `pages/` folder as a legacy multipage app until `st.navigation` has been
called once in the process, and decides it per run: a run that starts while that is so runs the requested page
file alone — no app.py, no navigation, none of app.py's preparation. Two visitors arriving together can both start
so, so a page cannot ask the process-wide flag whether *its* run was routed; app.py marks its own runs
(`routed_run`), and a page run outside one (`ensure_router`) switches the legacy mode off and reruns.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

_this_thread = threading.local()  # a session's runs follow one another on its script thread


@contextmanager
def routed_run() -> Iterator[None]:
    """app.py's whole run: pages run inside it know they were routed."""
    _this_thread.routed = True
    try:
        yield
    finally:
        _this_thread.routed = False


def ensure_router() -> None:
    if not getattr(_this_thread, "routed", False):
        PagesManager.uses_pages_directory = False
        st.rerun()
