"""On a phone (390×844): a live page's first chart is within one screen of its Play button."""

import pytest

from .server import wait_for_app

PHONE = {"width": 390, "height": 844}
VISIBLE = 250  # px of the chart on the same screen as Play, scrolled to the top
LIVE_PAGES = {"autoencoders": "ae_play", "kl_loss": "kll_play", "superposition": "sp_play", "sparsity": "so_play"}
FIRST_CHART_BELOW = """(play) => {
    const main = document.querySelector('[data-testid=stMain]');
    const top = (el) => el.getBoundingClientRect().top + main.scrollTop;
    const at = top(document.querySelector('.st-key-' + play));
    // Charts inside a component's shadow root (the interactive figure) too.
    const deep = (node) => [...node.querySelectorAll('.js-plotly-plot, [data-testid=stImage]'),
      ...[...node.querySelectorAll('*')].filter((e) => e.shadowRoot).flatMap((e) => deep(e.shadowRoot))];
    const below = deep(main).map(top).filter((t) => t > at);
    return below.length ? Math.min(...below) - at : null;
}"""


@pytest.mark.parametrize("path", LIVE_PAGES)
def test_a_live_page_first_chart_is_within_a_screen_of_play(browser, app_url, path):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{app_url}/{path}")
        wait_for_app(page, timeout_ms=120_000)
        # plotly.js draws a chart after the script has run: wait for the first one below Play to exist.
        page.wait_for_function(f"() => ({FIRST_CHART_BELOW})({LIVE_PAGES[path]!r}) !== null", timeout=30_000)
        gap = page.evaluate(FIRST_CHART_BELOW, LIVE_PAGES[path])
        assert gap <= PHONE["height"] - VISIBLE, gap
    finally:
        context.close()
