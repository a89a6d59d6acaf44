"""The interactive figure (components/interactive_figure.py) in Chromium, on the Autoencoders page: its slider
answers keys, a page step and a touch at once from the server's patches, drawn exactly as the server then draws
the same position; its range comes from the data; its own plotly.js makes the PNG and SVG; no console error
(the app_page fixture fails the test on one)."""

from __future__ import annotations

import struct

import pytest

from .server import wait_for_app

FIGURE = ".st-key-ae_sizes"
RANGE = f"{FIGURE} input[type=range]"
CHART = f"{FIGURE} .if-chart"
# What the chart draws: its bars, their text, the titles and legend.
DRAWN = """(gd) => [...gd.querySelectorAll('.barlayer path, .bartext, .gtitle, .legendtext')]
  .map(p => p.getAttribute('d') || p.textContent || '').join('|')"""
# Records, at the first drawing from a patch, the position and what the chart drew then.
RECORD_PATCH = """(chart) => {
  window.__patch = null;
  new MutationObserver(() => {
    if (!window.__patch && chart.dataset.source === 'patch')
      window.__patch = [chart.dataset.shown, (""" + DRAWN + """)(chart)];
  }).observe(chart, {attributes: true, attributeFilter: ['data-source', 'data-shown']});
}"""


def open_autoencoders(app_page, **context):
    page = app_page.goto_app("autoencoders")
    page.get_by_role("heading", name="Autoencoders: bottleneck vs sparse").wait_for()
    wait_for_app(page)
    page.locator(f"{CHART}[data-source=server] .barlayer path").first.wait_for(timeout=30_000)
    return page


@pytest.mark.parametrize("key, position, url", [("ArrowRight", "3", "width=24"), ("End", "4", "width=32"),
                                                ("PageDown", "1", "width=12")])
def test_a_key_is_drawn_from_its_patch_then_the_server_draws_the_same(app_page, key, position, url):
    page = open_autoencoders(app_page)
    chart = page.locator(CHART)
    assert page.locator(RANGE).get_attribute("max") == "4"  # five widths: the range travels in the data
    chart.evaluate(RECORD_PATCH)
    page.locator(RANGE).focus()
    page.keyboard.press(key)
    page.wait_for_function("() => window.__patch !== null", timeout=15_000)
    page.wait_for_function(f"() => location.search.includes('{url}')", timeout=15_000)
    wait_for_app(page)
    page.locator(f"{CHART}[data-source=server][data-shown='{position}']").wait_for(timeout=15_000)
    shown, drawn = page.evaluate("window.__patch")
    assert shown == position and drawn == chart.evaluate(DRAWN)
    assert page.locator(RANGE).get_attribute("aria-valuetext") == url.split("=")[1]
    assert chart.evaluate("el => el.style.opacity") == ""


def test_quick_presses_are_not_undone_by_the_answers_to_earlier_ones(app_page):
    page = open_autoencoders(app_page)
    page.locator(RANGE).focus()
    for key in ("ArrowRight", "ArrowRight", "ArrowLeft", "ArrowLeft", "ArrowLeft"):  # 16 → 24 → 32 → 24 → 16 → 12
        page.keyboard.press(key)
    page.wait_for_function("() => location.search.includes('width=12')", timeout=15_000)
    wait_for_app(page)
    page.locator(f"{CHART}[data-source=server][data-shown='1']").wait_for(timeout=15_000)
    page.wait_for_timeout(500)  # any late answer to an earlier press would move it now
    assert page.locator(RANGE).input_value() == "1" and "width=12" in page.url


def test_the_slider_is_focus_visible_and_named(app_page):
    page = open_autoencoders(app_page)
    slider = page.get_by_role("slider", name="Bottleneck width — latents of the bottleneck autoencoder")
    slider.focus()
    assert slider.evaluate("el => el.matches(':focus-visible') || getComputedStyle(el).outlineStyle !== 'none'")
    assert slider.get_attribute("aria-valuetext") == "16"


def test_a_touch_moves_the_slider(browser, app_url):
    context = browser.new_context(viewport={"width": 412, "height": 915}, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(f"{app_url}/autoencoders")
        wait_for_app(page)
        page.locator(f"{CHART}[data-source=server] .barlayer path").first.wait_for(timeout=30_000)
        page.locator(RANGE).scroll_into_view_if_needed()  # on a phone the sliders come after the charts
        box = page.locator(RANGE).bounding_box()
        page.touchscreen.tap(box["x"] + box["width"] - 2, box["y"] + box["height"] / 2)  # the right end: 32
        page.wait_for_function("() => location.search.includes('width=32')", timeout=15_000)
    finally:
        context.close()


def test_png_and_svg_come_from_the_components_own_plotly_at_slide_size(app_page):
    page = open_autoencoders(app_page)
    with page.expect_download() as png:
        page.locator(f"{FIGURE} .if-download[data-format=png]").click()
    data = open(png.value.path(), "rb").read()
    assert png.value.suggested_filename == "ae_sizes.png" and data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1920, 1080)
    with page.expect_download() as svg:
        page.locator(f"{FIGURE} .if-download[data-format=svg]").click()
    assert svg.value.suggested_filename == "ae_sizes.svg" and b"<svg" in open(svg.value.path(), "rb").read()[:400]
    with page.expect_download() as csv:
        page.locator(f"{FIGURE} .if-download[data-format=csv]").click()
    assert open(csv.value.path(), encoding="utf-8").readline().strip() == "trace,x,y,z"


def test_the_components_plotly_is_its_own_and_fetched_once(app_page):
    fetched = []
    app_page.on("request", lambda r: fetched.append(r.url) if r.url.endswith("/plotly.min.js") else None)
    page = open_autoencoders(app_page)
    page.locator(RANGE).focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('width=24')", timeout=15_000)
    wait_for_app(page)
    assert len(fetched) == 1 and "/_stcore/bidi-components/components.interactive_figure/" in fetched[0]


def test_f_without_a_scene_shows_the_first_figure_found_by_its_key(app_page):
    # presenter_keys.js finds figures by the keys the app gave them: this one draws inside a shadow root.
    page = app_page.goto_app("autoencoders?present=1")
    page.get_by_role("heading", name="Autoencoders: bottleneck vs sparse").wait_for()
    wait_for_app(page)
    page.locator(f"{CHART}[data-source=server] .barlayer path").first.wait_for(timeout=30_000)
    page.mouse.move(2, 2)  # over no figure
    page.keyboard.press("f")
    page.wait_for_function("() => document.fullscreenElement?.classList.contains('st-key-ae_sizes')", timeout=5_000)
    page.keyboard.press("f")
    page.wait_for_function("() => !document.fullscreenElement", timeout=5_000)


def test_the_charts_layers_title_and_legend_lie_inside_its_box(app_page):
    # plotly.js styles its layers from the document's head, which a shadow root does not see: stacked one under
    # another, the title and legend fell below the chart, under the next row's buttons.
    page = open_autoencoders(app_page)
    boxes = page.locator(CHART).evaluate("""(chart) => {
      const box = (el) => { const r = el.getBoundingClientRect(); return [r.top, r.bottom]; };
      return {chart: box(chart), layers: [...chart.querySelectorAll('svg.main-svg')].map(box),
              text: [...chart.querySelectorAll('.gtitle, .ytitle, .legendtext')].map(box)}; }""")
    top, bottom = boxes["chart"]
    assert len(boxes["layers"]) >= 2 and all(layer == [top, bottom] for layer in boxes["layers"]), boxes
    assert len(boxes["text"]) >= 3 and all(top <= t and b <= bottom for t, b in boxes["text"]), boxes
