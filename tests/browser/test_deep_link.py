"""A fresh server whose very first visitor follows a deep link must still get app.py's router."""

from .server import streamlit_server, wait_for_app


def test_first_visit_by_deep_link_is_routed_by_app_py(browser):
    # A server of its own (its first visitor must be this deep link); the session's browser (Playwright's sync
    # API allows one instance per process at a time).
    with streamlit_server() as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/kl_divergence?mode=discrete")
        wait_for_app(page)
        page.get_by_role("heading", name="KL vs Jensen–Shannon").wait_for()
        nav = page.locator("[data-testid=stSidebarNav]").inner_text()
        page.close()
    assert "KL vs Jensen–Shannon" in nav and "Start here" in nav
    assert "kl divergence" not in nav.lower().replace("kl vs", "")
