"""Keep every visit inside app.py's router, even the first visit to a fresh server via a deep link.

Streamlit treats an app with a `pages/` folder as a legacy multipage app until `st.navigation` has been
called once in the process. A fresh server's first request for `/some_page` therefore runs that page
file alone — no app.py, no navigation, a sidebar listing raw file names. Pages call `ensure_router()`
first; in that state it switches the legacy mode off and reruns, so app.py routes the same URL.
"""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def ensure_router() -> None:
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
