"""Presenter mode driven by the keyboard alone, in Chromium: Space trains, → changes scene and URL, Esc leaves."""

import re
import time

from .server import wait_for_app


def _metric(page, label: str) -> str:
    box = page.locator("[data-testid=stMetric]").filter(has=page.locator("[data-testid=stMetricLabel]",
                                                                           has_text=re.compile(f"^{label}")))
    return box.locator("[data-testid=stMetricValue]").first.inner_text()


def _step(page) -> int:
    return int(_metric(page, "Step").replace(",", ""))


def _url(page) -> str:
    # The address bar itself: Playwright's page.url can trail a history.pushState by one navigation.
    return page.evaluate("location.href")


def _listening(page) -> None:
    """Wait until the page has drawn and its keyboard listener is mounted: a key pressed before goes nowhere."""
    wait_for_app(page)
    page.wait_for_function("() => !!window.__saePresenterKeys", timeout=30_000)


def _wait_for_url(page, pattern: str, timeout_s: float = 20) -> None:
    deadline = time.monotonic() + timeout_s
    while not re.search(pattern, _url(page)):
        assert time.monotonic() < deadline, f"URL never matched {pattern}: {_url(page)}"
        time.sleep(0.1)
    wait_for_app(page)


def test_keyboard_alone_plays_changes_scene_and_leaves(app_page):
    page = app_page.goto_app("sparsity?present=1&scene=so-balanced")
    page.get_by_role("heading", name="A balanced L1").wait_for(timeout=60_000)
    page.locator("[data-testid=stSidebar]").wait_for(state="hidden", timeout=10_000)  # presenter mode hides it
    page.locator("[data-testid=stMetricValue]").first.wait_for(timeout=120_000)  # the scene trains its run (once)
    start = _step(page)
    assert start == 1500  # the scene resumes its trained run, paused
    page.evaluate("document.activeElement && document.activeElement.blur()")  # keys go to the page, not a control
    page.keyboard.press("Space")
    deadline = time.monotonic() + 30
    while _step(page) <= start:
        assert time.monotonic() < deadline, "Space did not start training"
        time.sleep(0.25)
    page.keyboard.press("Space")  # and pauses it
    wait_for_app(page)

    page.keyboard.press("ArrowRight")
    _wait_for_url(page, r"scene=so-too-much-l1")
    assert "l1=5" in _url(page) and "present=1" in _url(page)
    page.get_by_role("heading", name="Too much L1").wait_for()

    page.keyboard.press("ArrowLeft")
    _wait_for_url(page, r"scene=so-balanced")
    page.keyboard.press("3")  # the page's third scene
    _wait_for_url(page, r"scene=so-kl")
    assert "arch=kl" in _url(page)

    page.keyboard.press("Escape")
    page.locator("[data-testid=stSidebar]").wait_for(state="visible", timeout=20_000)
    _wait_for_url(page, r"^(?!.*present=1)")
    assert "scene=" not in _url(page)


def test_a_talk_crosses_pages_with_the_arrow_keys(app_page):
    page = app_page.goto_app("?present=1&talk=kl-disjoint~sp-pentagon")
    page.get_by_text("Talk: 2 scenes").wait_for(timeout=30_000)
    _listening(page)
    page.keyboard.press("ArrowRight")
    _wait_for_url(page, r"/kl_divergence\?.*scene=kl-disjoint")
    page.get_by_role("heading", name="Disjoint supports").wait_for()
    assert "p=uniform" in _url(page) and "talk=kl-disjoint~sp-pentagon" in _url(page)
    page.keyboard.press("ArrowRight")
    _wait_for_url(page, r"/superposition\?.*scene=sp-pentagon")
    page.get_by_role("heading", name="Sparse enough for a pentagon").wait_for()
    page.keyboard.press("ArrowRight")  # the end of the talk: stays
    time.sleep(1.0)
    wait_for_app(page)
    assert "scene=sp-pentagon" in _url(page)


def test_keys_pressed_faster_than_the_app_answers_are_each_carried_out(app_page):
    # A second key sent while the first one's run was still going used to interrupt that run: → → advanced once.
    page = app_page.goto_app("?present=1&talk=start~kl-identical~kl-disjoint~kl-asymmetry")
    page.get_by_text("Talk: 4 scenes").wait_for(timeout=30_000)
    _listening(page)
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    _wait_for_url(page, r"scene=kl-identical", timeout_s=30)
    _wait_for_url(page, r"scene=kl-disjoint", timeout_s=30)
    page.get_by_role("heading", name="Disjoint supports").wait_for(timeout=30_000)
    time.sleep(1.0)  # nothing more is on its way
    wait_for_app(page)
    assert "scene=kl-disjoint" in _url(page)


def test_a_slider_keeps_its_arrow_keys_in_presenter_mode(app_page):
    page = app_page.goto_app("kl_divergence?present=1&scene=kl-overlap")
    page.get_by_role("heading", name="Overlap lowers KL and JS").wait_for(timeout=30_000)
    _listening(page)
    before = _url(page)
    slider = page.locator(".st-key-kl_sep input[type=range]")
    slider.focus()
    page.keyboard.press("ArrowRight")
    _wait_for_url(page, r"q=gaussian%2C3\.05")  # the separation moves P and Q apart by a step between them
    assert "scene=kl-overlap" in _url(page) and before != _url(page)  # the slider moved; the scene did not change
