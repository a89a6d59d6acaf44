"""A download menu's files are made once, as it opens, and kept while it stays open, however often the figure
under it is redrawn: a live page's next redraw must not change a file's address under a click."""

from streamlit.testing.v1 import AppTest


def _page():
    import streamlit as st

    from components.download_menu import download_menu, files_while_open

    st.session_state["redraws"] = st.session_state.get("redraws", 0) + 1
    picture = f"redraw {st.session_state['redraws']}"  # a live page's figure, new on every run
    menu = download_menu(st, "fig", "hint")
    files = files_while_open(menu, "fig", lambda: {"csv": picture})
    st.session_state["made"] = None if files is None else files["csv"]


def test_files_are_made_when_the_menu_opens_kept_while_open_and_dropped_when_it_shuts():
    at = AppTest.from_function(_page).run()
    assert at.session_state["made"] is None  # shut: nothing made
    at.session_state["fig_menu"] = True
    at.run()
    assert at.session_state["made"] == "redraw 2"
    at.run()
    at.run()
    assert at.session_state["redraws"] == 4 and at.session_state["made"] == "redraw 2"
    at.session_state["fig_menu"] = False
    at.run()
    assert at.session_state["made"] is None and "fig_files" not in at.session_state
    at.session_state["fig_menu"] = True
    at.run()
    assert at.session_state["made"] == "redraw 6"  # opened again: made afresh
