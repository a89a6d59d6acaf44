"""Presenter mode as a room sees it: every scene fits the projector, and the keys do what the hint line says."""

import time

import pytest

from app_core.talk import SCENES

from .server import wait_for_app

OVERFLOW_JS = "() => { const m = document.querySelector('[data-testid=stMain]'); return m.scrollHeight - m.clientHeight; }"
SCROLL_JS = "() => document.querySelector('[data-testid=stMain]').scrollTop"


def _settled(page) -> None:
    page.wait_for_function("() => !!window.__saePresenterKeys", timeout=180_000)
    wait_for_app(page, timeout_ms=180_000)  # with the charts drawn for the screen's scale


SIZES = {"1920x1080": (1920, 1080), "1280x720": (1280, 720)}
SCALE_JS = "() => parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--sae-slide-scale'))"


def _misfit(page, scene, size) -> tuple | None:
    overflow = page.evaluate(OVERFLOW_JS)
    shown = page.locator(f"[data-testid=stMain] .st-key-{scene.shows[0]}")
    # The scene's own figure is on screen, unless the page draws it only once a run exists.
    box = shown.first.bounding_box() if shown.count() else None
    if overflow > 2 or (box and box["y"] + box["height"] > size[1] + 2):
        return scene.slug, overflow, box
    return None


@pytest.fixture(scope="module")
def misfits(browser, app_url) -> dict[str, list]:
    """Every scene at both sizes, loaded once: opened at one size, measured, then resized to the other (the slide
    rescales as on a first visit: a rerun at the new scale) and measured again; which size loads first alternates,
    so both sizes are also seen on a first load."""
    names = list(SIZES)
    context = browser.new_context(viewport=dict(zip(("width", "height"), SIZES[names[0]])))
    page = context.new_page()
    found: dict[str, list] = {name: [] for name in names}
    try:
        for scene in SCENES:
            page.goto(f"{app_url}/{scene.page}?present=1&scene={scene.slug}")
            for i, name in enumerate(names):
                width, height = SIZES[name]
                if i:
                    page.set_viewport_size({"width": width, "height": height})
                scale = round(100 * min(width / 1920, height / 1080)) / 100
                page.wait_for_function(f"() => ({SCALE_JS})() === {scale}", timeout=30_000)
                _settled(page)
                if (misfit := _misfit(page, scene, SIZES[name])) is not None:
                    found[name].append(misfit)
            names.reverse()  # the next scene loads at the size this one ended at
        yield found
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES)
def test_every_scene_fits_the_screen_with_its_figure_in_view(misfits, size):
    assert not misfits[size], misfits[size]


def test_answer_key_space_with_focus_on_a_button_and_arrow_scrolling(app_page):
    page = app_page
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto_app("kl_loss?present=1&scene=kl-forward")
    _settled(page)
    answer = page.locator(".answer")
    assert not answer.is_visible()
    page.keyboard.press("a")
    page.get_by_text("Across both", exact=False).wait_for(timeout=5_000)
    page.get_by_role("button", name="Hide the answer").click()  # a click returns focus to the slide
    assert not answer.is_visible()
    assert page.evaluate("document.activeElement === document.body")
    page.get_by_role("button", name="Reveal the answer").focus()
    page.keyboard.press("Space")  # Space is play/pause wherever focus is, not a press of the focused button
    page.locator(".st-key-kll_play").get_by_text("Pause", exact=True).wait_for(timeout=30_000)
    assert not answer.is_visible()
    page.keyboard.press("Space")
    page.locator(".st-key-kll_play").get_by_text("Play", exact=True).wait_for(timeout=30_000)
    page.keyboard.press("a")
    answer.wait_for(state="visible")
    page.keyboard.press("ArrowRight")  # a scene change closes the answer
    page.get_by_role("heading", name="Reverse KL on two modes").wait_for(timeout=30_000)
    _settled(page)
    assert not answer.is_visible()


def test_arrows_scroll_a_page_longer_than_the_screen_from_load(app_page):
    page = app_page
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto_app("norms?present=1")  # no scene: the whole page, three screens long
    _settled(page)
    assert page.evaluate(SCROLL_JS) == 0
    page.keyboard.press("ArrowDown")
    page.wait_for_function(f"() => ({SCROLL_JS})() > 100", timeout=5_000)
    page.keyboard.press("End")
    page.wait_for_function(f"() => {{ const m = document.querySelector('[data-testid=stMain]'); "
                           f"return m.scrollTop + m.clientHeight >= m.scrollHeight - 2; }}", timeout=5_000)
    page.keyboard.press("Home")
    page.wait_for_function(f"() => ({SCROLL_JS})() === 0", timeout=5_000)


def test_two_digits_reach_a_scene_past_nine(app_page):
    from app_core.talk.scenes import DEFAULT_TALK

    page = app_page
    page.goto_app("?present=1")  # the home page presents the default talk
    _settled(page)
    page.get_by_text(f"Talk: {len(DEFAULT_TALK)} scenes", exact=False).wait_for(timeout=30_000)
    page.keyboard.press("1")
    page.keyboard.press("2")
    twelfth = DEFAULT_TALK[11]
    deadline = time.monotonic() + 60
    while f"scene={twelfth.slug}" not in page.evaluate("location.href"):
        assert time.monotonic() < deadline, page.evaluate("location.href")
        time.sleep(0.2)
    page.get_by_role("heading", name=twelfth.title).wait_for(timeout=30_000)


def test_f_shows_the_scene_own_figure_full_screen_scaled_to_the_screen(app_page):
    page = app_page
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto_app("kl_loss?present=1&scene=kl-forward")
    _settled(page)
    page.keyboard.press("f")
    page.wait_for_function("() => !!document.fullscreenElement", timeout=15_000)
    shown = page.evaluate("""() => { const f = document.fullscreenElement, inner = f.firstElementChild;
        const box = inner.getBoundingClientRect();
        return {own: f.classList.contains('st-key-kll_densities'), width: box.width, height: box.height}; }""")
    assert shown["own"]  # the scene's figure, not the page's first one (the densities come after the buttons)
    # Scaled to fill the screen along one side, not left at its in-page size.
    assert max(shown["width"] / 1280, shown["height"] / 720) > 0.85
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.fullscreenElement", timeout=5_000)
    assert "present=1" in page.evaluate("location.href")  # the first Esc leaves full screen, not presenter mode
