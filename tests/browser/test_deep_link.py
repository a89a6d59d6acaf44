"""A fresh server whose very first visitor follows a deep link must still get app.py's router."""

import asyncio

from bench.streamlit_client import Visitor

from .server import run_visits, streamlit_server, wait_for_app


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


def test_deep_links_arriving_together_at_a_fresh_server_are_all_routed():
    # Streamlit decides per run whether a `pages/` app is in legacy mode; visitors arriving together all start so,
    # and the first to leave it used to let the others' page files run alone (no app.py: no preload, no navigation).
    pages = ["kl_divergence", "norms", "sparsity", "autoencoders"]

    async def arrive_together(url):
        async def visit(page):
            async with Visitor(url, page) as visitor:
                await asyncio.sleep(1.0)  # the rerun a page outside the router asks for, answered
                return visitor.visit

        return await asyncio.gather(*(visit(p) for p in pages))

    with streamlit_server() as url:
        visits = run_visits(lambda: arrive_together(url), 180)
    assert [v.navigated for v in visits] == [True] * len(pages)
    assert [v.errors for v in visits] == [[]] * len(pages)
