"""The "Sparsity and the L1 norm" page in Chromium: moving a slider with the keyboard updates the norms, the
figure and the URL, with no console error (the app_page fixture fails the test on one)."""

from __future__ import annotations

import time
from dataclasses import replace
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from sae_core.norms import norms
from app_core.state import codec
from app_core.state import norms as ns

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
    # A fresh server's first deep link runs once outside the router and reruns (components/streamlit_internals.py).
    page.get_by_role("heading", name="Sparsity and the L1 norm").wait_for()
    wait_for_app(page)
    return page


EDITOR = ".st-key-nm_vector"


def test_dragging_a_bar_redraws_the_norms_at_once_then_python_updates_the_page_and_the_url(app_page):
    page = open_norms(app_page)
    assert metric(page, "L1 · sum") == "5.00"
    expect(page.locator(f"{EDITOR} .ve-readout")).to_contain_text("L1 = 5.00")
    svg = page.locator(f"{EDITOR} svg.ve-svg")
    box = svg.bounding_box()
    plot_top, plot_bottom = box["y"] + 18, box["y"] + box["height"] - 34  # vector_editor.js's PAD_T, PAD_B
    column = (box["width"] - 46 - 10) / 6  # PAD_L, PAD_R
    x = box["x"] + 46 + 5.5 * column  # x₆, 1.0 by default
    y_of = lambda v: plot_top + (3.0 - v) / 6.0 * (plot_bottom - plot_top)  # noqa: E731 (the range is [−3, 3])
    page.mouse.move(x, y_of(1.0))
    page.mouse.down()
    page.mouse.move(x, y_of(-2.0), steps=4)
    # Mid-drag, nothing has gone to Python yet: the editor's own numbers already follow the pointer.
    state = replace(ns.NormsState(), entries=(2.0, -1.5, 0.3, 0.0, -0.2, -2.0))
    n = norms(state.entries)
    expect(page.locator(f"{EDITOR} .ve-readout")).to_have_text(f"L0 = {n.l0}   ·   L1 = {n.l1:.2f}   ·   L2 = {n.l2:.2f}",
                                                                timeout=2_000)
    assert metric(page, "L1 · sum") == "5.00"
    page.mouse.up()
    wait_metric(page, "L1 · sum", f"{n.l1:.2f}")
    assert metric(page, "L2 · length") == f"{n.l2:.2f}"
    page.wait_for_function("() => location.search.includes('x=2%2C-1.5%2C0.3%2C0%2C-0.2%2C-2')", timeout=10_000)
    assert url_state(page) == state


def test_keys_on_a_focused_bar_set_it_and_zero_it(app_page):
    page = open_norms(app_page)
    bar = page.locator(f"{EDITOR} [data-index='0']")
    bar.focus()
    started = time.monotonic()
    page.keyboard.press("Home")  # x₁ from 2.0 to the range's minimum, −3.0
    expect(page.locator(f"{EDITOR} .ve-readout")).to_contain_text("L1 = 6.00", timeout=5_000)
    print(f"key press to the editor's new L1: {1000 * (time.monotonic() - started):.0f} ms")
    wait_metric(page, "L1 · sum", "6.00")
    page.locator(f"{EDITOR} [data-index='5']").focus()
    page.keyboard.press("0")  # x₆ from 1.0 to exactly 0
    state = replace(ns.NormsState(), entries=(-3.0, -1.5, 0.3, 0.0, -0.2, 0.0))
    wait_metric(page, "L0 · non-zero", str(norms(state.entries).l0))
    wait_for_app(page)
    page.wait_for_function("() => location.search.includes('x=-3%2C')", timeout=10_000)
    assert url_state(page) == state
    assert page.locator(f"{EDITOR} [data-index='5']").get_attribute("aria-valuenow") == "0"


def test_in_presenter_mode_arrows_on_a_focused_bar_move_the_bar_not_the_talk(app_page):
    page = app_page.goto_app("norms?present=1&scene=norms-vector")
    page.get_by_role("heading", name="L0, L1 and L2 of one vector").wait_for()  # the scene's title, in presenter mode
    wait_for_app(page)
    page.wait_for_function("() => location.search.includes('scene=norms-vector')", timeout=10_000)
    before = url_state(page).entries
    page.locator(f"{EDITOR} [data-index='1']").focus()
    page.keyboard.press("ArrowRight")  # in the talk: next scene; on a focused bar: one step up
    page.wait_for_function("(want) => location.search.includes(want)",
                           arg="x=" + "%2C".join(codec.format_number(v) for v in
                                                 (before[0], round(before[1] + 0.1, 6), *before[2:])),
                           timeout=10_000)
    assert "scene=norms-vector" in page.url


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


def test_in_presenter_mode_a_drag_leaves_the_keys_to_the_talk(app_page):
    # A presenter drags a bar with the mouse, then presses the clicker's "next": the scene changes, the bar does not.
    page = app_page.goto_app("norms?present=1&scene=norms-vector")
    page.get_by_role("heading", name="L0, L1 and L2 of one vector").wait_for()
    wait_for_app(page)
    box = page.locator(f"{EDITOR} svg.ve-svg").bounding_box()
    column = (box["width"] - 46 - 10) / 6
    x, plot_top = box["x"] + 46 + 1.5 * column, box["y"] + 18  # x₂
    page.mouse.move(x, plot_top + 10)
    page.mouse.down()
    page.mouse.move(x, plot_top + 20, steps=2)
    page.mouse.up()
    page.wait_for_function("() => !location.search.includes('x=2%2C-1.5%2C')", timeout=10_000)  # x₂ moved up
    wait_for_app(page)
    page.keyboard.press("PageDown")
    page.get_by_role("heading", name="The L1 ball's corners").wait_for(timeout=15_000)
    assert "scene=norms-corner" in page.url


def test_a_press_on_a_bars_label_focuses_it_and_changes_nothing(app_page):
    page = open_norms(app_page)
    box = page.locator(f"{EDITOR} svg.ve-svg").bounding_box()
    column = (box["width"] - 46 - 10) / 6
    page.mouse.click(box["x"] + 46 + 0.5 * column, box["y"] + box["height"] - 8)  # x₁'s label, below the plot
    bar = page.locator(f"{EDITOR} [data-index='0']")
    expect(bar).to_be_focused()
    page.wait_for_timeout(400)  # a value would have been sent by now
    assert bar.get_attribute("aria-valuenow") == "2" and "x=2%2C" in page.url


def test_f_shows_the_vector_full_screen_on_a_white_page(app_page):
    # The editor is the scene's first figure, though it sits in a component's shadow root.
    page = app_page.goto_app("norms?present=1&scene=norms-vector")
    page.get_by_role("heading", name="L0, L1 and L2 of one vector").wait_for()
    wait_for_app(page)
    page.mouse.move(2, 2)  # over no figure
    page.keyboard.press("f")
    page.wait_for_function("() => document.fullscreenElement?.classList.contains('st-key-nm_vector')", timeout=5_000)
    assert page.evaluate("() => getComputedStyle(document.fullscreenElement).backgroundColor") == "rgb(255, 255, 255)"
    page.keyboard.press("f")  # F again: back to the page
    page.wait_for_function("() => !document.fullscreenElement", timeout=5_000)
