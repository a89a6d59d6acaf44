"""The KL page in a real Chromium: dragging, live local redraw, URL round trip, no console errors."""

from __future__ import annotations

import math
import re
from urllib.parse import parse_qs, urlparse

import pytest

from app_core.state import codec
from app_core import readout
from app_core.wire import canvas_wire
from app_core.state import kl as kv

from .server import centre_of, wait_for_app


def metric_values(page) -> list[str]:
    return [t.strip() for t in page.locator("[data-testid=stMetricValue]").all_inner_texts()]


def url_state(page) -> kv.KLState:
    params = {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}
    state, problems = codec.from_query(kv.KLState, params)
    assert not problems
    return state


def fmt(v: float) -> str:
    return "∞" if math.isinf(v) else f"{v:.3f}"


def settle(page, before: list[str]) -> list[str]:
    page.wait_for_function(
        "(before) => JSON.stringify([...document.querySelectorAll('[data-testid=stMetricValue]')]"
        ".map(e => e.innerText.trim())) !== JSON.stringify(before)", arg=before, timeout=15_000)
    wait_for_app(page)
    page.wait_for_timeout(300)
    wait_for_app(page)
    return metric_values(page)


def drag(page, selector: str, dx: float, dy: float, steps: int = 20, mid_callback=None):
    x, y = centre_of(page, selector)
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, steps + 1):
        page.mouse.move(x + dx * i / steps, y + dy * i / steps)
        page.wait_for_timeout(16)
        if mid_callback and i == steps // 2:
            mid_callback()
    page.mouse.up()


def test_dragging_p_peak_updates_live_and_then_python_numbers_match_the_url(app_page):
    page = app_page.goto_app("kl_divergence")
    before = metric_values(page)
    assert before == [fmt(v) for v in (readout.divergences(kv.KLState()).kl_pq,
                                       readout.divergences(kv.KLState()).kl_qp, readout.divergences(kv.KLState()).js)]
    live = page.locator(".dc-live")
    live_before = live.inner_text()
    seen_mid_drag: list[str] = []
    drag(page, "[data-handle=p-peak]", dx=180, dy=0, mid_callback=lambda: seen_mid_drag.append(live.inner_text()))
    assert seen_mid_drag and seen_mid_drag[0] != live_before, "the canvas redraws its estimate while dragging"
    after = settle(page, before)
    state = url_state(page)
    assert state.p.loc > kv.KLState().p.loc + 0.5, "P moved right and the URL says so"
    d = readout.divergences(state)
    assert after == [fmt(d.kl_pq), fmt(d.kl_qp), fmt(d.js)]


def test_width_handle_and_discrete_bars(app_page):
    page = app_page.goto_app("kl_divergence")
    before = metric_values(page)
    drag(page, "[data-handle=q-width]", dx=-60, dy=0)
    settle(page, before)
    assert url_state(page).q.sd < kv.KLState().q.sd

    page.get_by_text("Discrete", exact=True).click()
    wait_for_app(page)
    page.locator("[data-handle=q-bar-4]").wait_for(state="visible")
    before = metric_values(page)
    drag(page, "[data-handle=q-bar-4]", dx=0, dy=-120)
    after = settle(page, before)
    state = url_state(page)
    assert state.mode == "discrete" and state.q_bars[4] > 0.2
    d = readout.divergences(state)
    assert after == [fmt(d.kl_pq), fmt(d.kl_qp), fmt(d.js)]


def test_disjoint_preset_explains_infinite_kl(app_page):
    page = app_page.goto_app("kl_divergence")
    before = metric_values(page)
    page.get_by_role("button", name="Disjoint supports (KL = ∞)").click()
    after = settle(page, before)
    assert after[:2] == ["∞", "∞"]
    assert float(after[2]) == pytest.approx(math.log(2), abs=1e-3)
    assert page.get_by_text("density is 0").count() >= 1


def test_shared_link_reproduces_the_view(app_page, app_url):
    state = kv.apply_preset(kv.KLState(units="bits", mode="discrete"), "shifted")
    query = "&".join(f"{k}={v}" for k, v in codec.to_query(state).items())
    page = app_page.goto_app(f"kl_divergence?{query}")
    d = readout.divergences(state)
    assert metric_values(page) == [fmt(d.kl_pq), fmt(d.kl_qp), fmt(d.js)]


def test_rapid_drags_settle_every_time_and_add_one_history_entry_each(app_page):
    # Streamlit's element cache could leave the page "running" for half a minute after quick reruns
    # (a cached element the browser had already evicted); each drag also used to push ~10 URLs.
    page = app_page.goto_app("kl_divergence")
    history_before = page.evaluate("history.length")
    drags = 20
    for i in range(drags):
        drag(page, "[data-handle=p-peak]", dx=60 if i % 2 == 0 else -60, dy=0, steps=10)
        wait_for_app(page, timeout_ms=5_000)
    final = page.locator(".dc-root").evaluate("r => r.parentNode.__instance.state")
    d = readout.divergences(canvas_wire.from_canvas(kv.KLState(), final))
    page.wait_for_function(
        "(want) => [...document.querySelectorAll('[data-testid=stMetricValue]')].map(e => e.innerText.trim())"
        ".join('|') === want", arg="|".join(fmt(v) for v in (d.kl_pq, d.kl_qp, d.js)), timeout=5_000)
    assert page.evaluate("history.length") - history_before <= drags
    assert url_state(page).p.loc == pytest.approx(final["p"]["loc"], abs=1e-3)


def test_back_returns_to_the_previous_drag(app_page):
    page = app_page.goto_app("kl_divergence")
    drag(page, "[data-handle=p-peak]", dx=80, dy=0, steps=10)
    wait_for_app(page)
    page.wait_for_timeout(700)
    first = url_state(page)
    drag(page, "[data-handle=p-peak]", dx=-120, dy=0, steps=10)
    wait_for_app(page)
    page.wait_for_timeout(700)
    assert url_state(page).p.loc != pytest.approx(first.p.loc, abs=1e-3)
    page.go_back()
    d = readout.divergences(first)
    page.wait_for_function(
        "(want) => [...document.querySelectorAll('[data-testid=stMetricValue]')].map(e => e.innerText.trim())"
        ".join('|') === want", arg="|".join(fmt(v) for v in (d.kl_pq, d.kl_qp, d.js)), timeout=10_000)
    assert page.locator(".dc-root").evaluate("r => r.parentNode.__instance.state.p.loc") == pytest.approx(first.p.loc, abs=1e-3)


def test_the_canvas_readout_is_the_metrics_under_it_and_js_stays_under_ln2(app_page):
    # The readout was a 600-point sum over the visible range: JS 0.697 > ln 2 on disjoint uniforms, 5% off elsewhere.
    page = app_page.goto_app("kl_divergence")
    for preset in ("Disjoint supports (KL = ∞)", "Wide vs narrow (asymmetry)", "Slightly shifted"):
        before = metric_values(page)
        page.get_by_role("button", name=preset).click()
        metrics = settle(page, before)
        readout_text = page.locator(".dc-live").inner_text()
        shown = dict(re.findall(r"(KL\(P‖Q\)|KL\(Q‖P\)|JS) = (\S+)", readout_text))
        assert [shown["KL(P‖Q)"], shown["KL(Q‖P)"], shown["JS"]] == metrics, (preset, readout_text)
        assert float(shown["JS"]) <= round(math.log(2), 3)


def test_a_handle_moves_by_the_sliders_steps_from_the_keyboard_and_says_so(app_page):
    page = app_page.goto_app("kl_divergence")
    start = kv.KLState()
    handle = page.locator("[data-handle=p-peak]")
    handle.focus()
    assert handle.get_attribute("role") == "slider" and handle.get_attribute("tabindex") == "0"
    before = metric_values(page)
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    want = round(start.p.loc + 3 * canvas_wire.LOC_STEP, 4)
    # the same element, still focused, carries the new value at once
    assert float(handle.get_attribute("aria-valuenow")) == pytest.approx(want)
    assert handle.get_attribute("aria-valuetext") == f"P's mean {want:.2f}"
    assert handle.evaluate("h => h.getRootNode().activeElement === h")
    after = settle(page, before)
    state = url_state(page)
    assert state.p.loc == pytest.approx(want)
    d = readout.divergences(state)
    assert after == [fmt(d.kl_pq), fmt(d.kl_qp), fmt(d.js)]
    status = page.locator(".dc-status")
    assert status.get_attribute("role") == "status" and fmt(d.kl_pq) in status.inner_text()

    width = page.locator("[data-handle=q-width]")
    width.focus()
    before = metric_values(page)
    page.keyboard.press("ArrowLeft")
    settle(page, before)
    assert url_state(page).q.sd == pytest.approx(start.q.sd - canvas_wire.SD_STEP)


def test_tab_reaches_every_handle_in_order(app_page):
    page = app_page.goto_app("kl_divergence")
    page.locator("[data-handle=p-peak]").focus()
    seen = []
    for _ in range(3):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("() => { let a = document.activeElement; while (a?.shadowRoot?.activeElement) "
                                  "a = a.shadowRoot.activeElement; return a?.getAttribute('data-handle'); }"))
    assert seen == ["p-width", "q-peak", "q-width"]
