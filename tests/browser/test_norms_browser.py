"""The "Sparsity and the L1 norm" page in Chromium: moving a slider with the keyboard updates the norms, the
figure and the URL, with no console error (the app_page fixture fails the test on one)."""

from __future__ import annotations

import time
from dataclasses import replace
from urllib.parse import parse_qs, urlparse

from sae_core.norms import norms
from sae_core.state import codec
from sae_core.state import norms as ns

from .server import wait_for_app


def metric(page, label_start: str) -> str:
    block = page.locator("[data-testid=stMetric]", has_text=label_start).first
    return block.locator("[data-testid=stMetricValue]").inner_text().strip()


def wait_metric(page, label_start: str, want: str, timeout_ms: int = 15_000) -> None:
    page.wait_for_function(
        """([label, want]) => {
            const m = [...document.querySelectorAll('[data-testid=stMetric]')].find(e => e.innerText.startsWith(label));
            return m && m.querySelector('[data-testid=stMetricValue]').innerText.trim() === want;
        }""", arg=[label_start, want], timeout=timeout_ms)


def url_state(page) -> ns.NormsState:
    state, problems = codec.from_query(ns.NormsState, {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()})
    assert not problems
    return state


def open_norms(app_page, query: str = ""):
    page = app_page.goto_app(f"norms{query}")
    # A fresh server's first deep link runs once outside the router and reruns (components/router_guard.py).
    page.get_by_role("heading", name="Sparsity and the L1 norm").wait_for()
    wait_for_app(page)
    return page


def test_keyboard_on_an_entry_slider_updates_l1_the_figure_and_the_url(app_page):
    page = open_norms(app_page)
    assert metric(page, "L1 · sum") == "5.00"
    title = page.locator(".st-key-nm_vector_chart .gtitle")
    assert "L1 = 5.00" in title.text_content()
    thumb = page.locator(".st-key-nm_x_0 input[type=range]")
    thumb.focus()
    started = time.monotonic()
    page.keyboard.press("Home")  # x₁ from 2.0 to the slider's minimum, −3.0
    state = replace(ns.NormsState(), entries=(-3.0, -1.5, 0.3, 0.0, -0.2, 1.0))
    n = norms(state.entries)
    wait_metric(page, "L1 · sum", f"{n.l1:.2f}")
    elapsed = time.monotonic() - started
    page.wait_for_function("(want) => document.querySelector('.st-key-nm_vector_chart .gtitle')?.textContent"
                           ".includes(want)", arg=f"L1 = {n.l1:.2f}", timeout=10_000)
    assert metric(page, "L2 · length") == f"{n.l2:.2f}"
    wait_for_app(page)
    page.wait_for_function("() => location.search.includes('x=-3')", timeout=10_000)
    assert url_state(page) == state
    print(f"keyboard press to new L1 metric: {1000 * elapsed:.0f} ms")


def test_the_radius_slider_moves_the_l1_solution_and_a_link_restores_it(app_page):
    page = open_norms(app_page, "?w1=0.6&w2=2&angle=45&elong=4")
    before = metric(page, "L1 solution")
    thumb = page.locator(".st-key-nm_radius input[type=range]")
    thumb.focus()
    for _ in range(6):
        page.keyboard.press("ArrowRight")  # t from 1.00 up by six steps of 0.05
    page.wait_for_function("() => location.search.includes('t=1.3')", timeout=15_000)
    wait_for_app(page)
    assert metric(page, "L1 solution") != before
    assert url_state(page).radius == 1.3
