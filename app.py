"""SAE Playground: the router and the frame every page shares."""

import os
from pathlib import Path

# One thread per PyTorch operation, before anything loads torch: a server runs many small trainings at once
# (taking turns on the scheduler's worker), and its pages' own threads compete for the same cores. With torch's default
# team of one OpenMP thread per core, a team whose partner thread was descheduled spins at every barrier:
# measured on 2 cores under load 5, the toy SAE trained 23–47 steps/s with 2 threads and 447–763 with 1, the
# MNIST one 6–151 against 43–57. An operator who sets these variables keeps theirs.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import streamlit as st  # noqa: E402

from components.preload import load_what_plotly_peeks_at  # noqa: E402
from components.presenter import finish_command, presenter_frame  # noqa: E402
from components.runtime_tuning import freeze_new_libraries_soon  # noqa: E402
from components.streamlit_internals import routed_run, skip_direct_execution_check  # noqa: E402
from components.site_map import HOME, PATH, TOOLS  # noqa: E402
from components.tab_icon import TAB_ICON  # noqa: E402

PHONE_CSS = (Path(__file__).parent / "components" / "phone.css").read_text(encoding="utf-8")

with routed_run():  # pages check it: components/streamlit_internals.py
    load_what_plotly_peeks_at()  # before any page builds a figure, on every run: components/preload.py
    skip_direct_execution_check()

    # The icon before the pages: tab_icon.py
    st.set_page_config(page_title="SAE Playground", page_icon=TAB_ICON, layout="wide")

    pages = {"Start": [st.Page(HOME.path, title=HOME.title, icon=HOME.icon, default=True)]}
    for section, stops in (PATH | TOOLS).items():
        pages[section] = [st.Page(stop.path, title=stop.title, icon=stop.icon) for stop in stops]
    navigation = st.navigation(pages, position="sidebar")
    st.sidebar.caption("SAE Playground — learn sparse autoencoders by doing them.")
    st.html(f"<style>{PHONE_CSS}</style>")
    presenter_frame(navigation.url_path)
    try:
        navigation.run()
    finally:  # also after a page that stops (st.stop) or reruns itself: a server whose first pages all do still starts
        finish_command()  # and presenter mode's keyboard, after the page
        # Imported only now, after the page: they bring in the live-training and frontier code (~30 ms of a server's
        # first paint when imported at the top).
        from components.background_work import start_background_work
        from components.session_reaper import start_session_reaper

        start_background_work()  # after the page: a server's first paint does not wait for it
        start_session_reaper()
        # A page's first run may have loaded plotly, scipy or torch: keep them out of every later collection, from
        # just after this run (a freeze before the page, with plotly imported for it, took ~0.2 s of a first paint).
        freeze_new_libraries_soon()
