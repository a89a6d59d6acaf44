"""A fresh server computes the Frontier in the background from its start: a visitor never presses a button."""

import re
import tempfile
import time

import pytest

from .server import is_harmless, streamlit_server, wait_for_app

# The toy frontier is 17 short trainings and dictionary learning: about 90 s of one core here, longer in CI.
WAIT_S = 420


@pytest.mark.timeout(WAIT_S + 120)
def test_the_frontier_chart_appears_on_a_fresh_server_with_no_click(browser):
    cache = tempfile.mkdtemp(prefix="sae-frontier-fresh-")
    env = {"SAE_PLAYGROUND_CACHE": cache, "SAE_PLAYGROUND_BACKGROUND": "1"}
    with streamlit_server(env=env) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" and not is_harmless(m.text) else None)
        page.goto(f"{url}/frontier")
        wait_for_app(page)
        # Before it is done a visitor sees where the background computation stands, and no button to press.
        waiting = page.locator("[data-testid=stProgress], .stPlotlyChart").first
        waiting.wait_for(timeout=60_000)
        assert page.get_by_role("button", name="Compute the frontier").count() == 0
        if page.locator(".stPlotlyChart").count() == 0:
            text = page.locator("[data-testid=stMain]").inner_text()
            # it names what it waits for: the worker starting, PyTorch loading, or the run it is at
            assert re.search(r"(Computing the Toy|Queued behind|Waiting for the frontier worker)", text), text
            assert "starts soon" not in text
        # the SAE runs are drawn as soon as they are done (the whole frontier once dictionary learning is)
        page.locator(".st-key-fr_chart .js-plotly-plot").wait_for(timeout=WAIT_S * 1000)
        table = page.locator("[data-testid=stDataFrame]")
        table.wait_for()
        page.close()
    assert not errors, errors
    # ... and a restart reads it from disk: the chart is there at once.
    with streamlit_server(env=env) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        start = time.monotonic()
        page.goto(f"{url}/frontier")
        wait_for_app(page)
        page.locator(".st-key-fr_chart .js-plotly-plot").wait_for(timeout=30_000)
        assert time.monotonic() - start < 30
        page.close()
