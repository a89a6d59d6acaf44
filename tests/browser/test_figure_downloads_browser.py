"""Figures for slides, in Chromium: a chart's SVG and PNG at 1920×1080, drawn from the figure's JSON by the
download component's own plotly.js (should it not load, the menu says why no file comes), its numbers as CSV, and a
picture's PNG enlarged by whole pixels, each a real downloaded file."""

from __future__ import annotations

import csv
import io
import struct

import numpy as np
from PIL import Image

from .figure_text import TEXT_BOXES_JS, problems
from .server import wait_for_app

CHART = "nm_shrunk_chart"


def open_page(app_page, path: str, heading: str):
    page = app_page.goto_app(path)
    # A fresh server's first deep link runs once outside the router and reruns (components/streamlit_internals.py).
    page.get_by_role("heading", name=heading).wait_for()
    wait_for_app(page)
    return page


def open_menu(page, key: str):
    page.locator(f".st-key-secondary_download_{key} [data-testid=stPopoverButton]:visible").click()
    menu = page.get_by_role("dialog")
    menu.wait_for()
    return menu


def download(page, click) -> bytes:
    with page.expect_download(timeout=30_000) as info:
        click()
    return open(info.value.path(), "rb").read()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:8]
    return struct.unpack(">II", data[16:24])


def text_problems(browser, svg: str) -> list[str]:
    """What figure_text finds wrong with the text of a downloaded SVG, drawn alone in a page of its own."""
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    try:
        page.set_content(f"<html><body style='margin:0'><div class='js-plotly-plot'>{svg}</div></body></html>")
        (plot,) = page.evaluate(TEXT_BOXES_JS, None)
        assert len(plot["texts"]) > 5, plot  # the title, axis titles and ticks were found
        return problems(plot)
    finally:
        page.close()


def test_a_chart_downloads_as_svg_png_and_csv_at_slide_size(app_page, browser):
    page = open_page(app_page, "norms", "Sparsity and the L1 norm")
    page.locator(f".st-key-{CHART} .js-plotly-plot").wait_for()
    menu = open_menu(page, CHART)

    svg = download(page, lambda: menu.get_by_role("button", name="SVG", exact=True).click()).decode()
    assert svg.startswith("<svg") and 'width="1920"' in svg[:400] and 'height="1080"' in svg[:400]
    assert 'viewBox="0 0 960 540"' in svg[:400]  # laid out at half size, drawn at twice the scale
    assert "L1 5.00 → 3.00" in svg  # the chart's own title: this chart, drawn as vector text
    assert text_problems(browser, svg) == []  # the file itself keeps its text apart and inside (issue 25)

    png_button = menu.get_by_role("button", name="PNG", exact=True)
    png_button.focus()  # keyboard: a focusable button that Enter presses
    png = download(page, lambda: page.keyboard.press("Enter"))
    assert png_size(png) == (1920, 1080)
    assert menu.is_visible(), "the menu stays open after a download, for the next format"

    rows = list(csv.DictReader(io.StringIO(download(page, lambda: menu.get_by_role("button", name="CSV").click())
                                           .decode())))
    assert [(r["x"], float(r["y"])) for r in rows[:6]] == [("x₁", 2.0), ("x₂", -1.5), ("x₃", 0.3), ("x₄", 0.0),
                                                          ("x₅", -0.2), ("x₆", 1.0)]


def test_the_dragged_vector_downloads_as_a_slide_too(app_page):
    # The editor draws the vector itself; its slide files are the same figure drawn by plotly.js off screen.
    page = open_page(app_page, "norms", "Sparsity and the L1 norm")
    menu = open_menu(page, "nm_vector_chart")
    svg = download(page, lambda: menu.get_by_role("button", name="SVG", exact=True).click()).decode()
    assert svg.startswith("<svg") and 'width="1920"' in svg[:400] and "L1 = 5.00" in svg
    png = download(page, lambda: menu.get_by_role("button", name="PNG", exact=True).click())
    assert png_size(png) == (1920, 1080)
    rows = list(csv.DictReader(io.StringIO(download(page, lambda: menu.get_by_role("button", name="CSV").click())
                                           .decode())))
    assert [(r["x"], float(r["y"])) for r in rows[:2]] == [("x₁", 2.0), ("x₂", -1.5)]


def test_without_plotly_js_the_menu_says_why_no_file_comes(app_page):
    # The component's plotly.js is its own file, not Streamlit's chart bundle: should it fail to load, the menu must
    # say so rather than fail silently.
    app_page.route("**/plotly.min.js", lambda route: route.fulfill(status=200, content_type="text/javascript",
                                                                   body="throw new Error('plotly.js is broken')"))
    page = open_page(app_page, "norms", "Sparsity and the L1 norm")
    menu = open_menu(page, CHART)
    menu.get_by_role("button", name="SVG", exact=True).click()
    menu.get_by_text("no SVG: plotly.js is broken").wait_for()


def test_a_picture_downloads_as_a_png_enlarged_by_whole_pixels(app_page):
    from sae_core.data import load_dataset
    from sae_core.data.probes import one_per_label
    from app_core.figures.images import tile
    from app_core.state.autoencoders import PROBES

    page = open_page(app_page, "autoencoders", "Autoencoders: bottleneck vs sparse")
    page.locator("[data-testid=stImage] img").first.wait_for()
    menu = open_menu(page, "ae_probes")
    png = download(page, lambda: menu.get_by_role("button", name="PNG", exact=True).click())
    data = load_dataset("mnist")  # the digits the page shows, as it tiles them (it shows them scaled down)
    digits = tile(data.x[one_per_label(data, PROBES)], data.image_shape, cols=PROBES, zoom=3, per_image=False)
    width, height = png_size(png)
    k = width // digits.shape[1]
    assert k >= 2 and max(width, height) >= 1080 and (width, height) == (digits.shape[1] * k, digits.shape[0] * k)
    saved = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    np.testing.assert_array_equal(saved, digits.repeat(k, axis=0).repeat(k, axis=1))  # each pixel a k×k block


def step(page) -> int:
    value = page.locator("[data-testid=stMetric]", has_text="Step").first.locator("[data-testid=stMetricValue]")
    return int(value.inner_text().replace(",", ""))


def test_while_a_model_trains_a_picture_downloads_as_it_was_when_the_menu_opened(app_page):
    """The page redraws every tick: the files are made once as the menu opens (a file made per redraw, or a
    Streamlit deferred download, was gone by the time most clicks reached the server)."""
    page = open_page(app_page, "sparsity?data=mnist", "Sparsity trade-off")
    page.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function("() => document.querySelector('.st-key-secondary_download_so_atoms')", timeout=90_000)
    menu = open_menu(page, "so_atoms")
    png_button = menu.get_by_role("button", name="PNG", exact=True)
    png_button.wait_for(timeout=60_000)
    # force: the menu is redrawn with the page on every tick, so it never holds still for Playwright's checks
    first = download(page, lambda: png_button.click(force=True))
    before = step(page)
    page.wait_for_function(f"() => [...document.querySelectorAll('[data-testid=stMetric]')].find(e => "
                           f"e.innerText.startsWith('Step'))?.querySelector('[data-testid=stMetricValue]')"
                           f".innerText.replace(/,/g, '') > {before}", timeout=60_000)
    second = download(page, lambda: png_button.click(force=True))
    assert first == second, "the picture as it was when the menu opened, however far training has gone since"
    width, height = png_size(first)
    assert max(width, height) >= 1080
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Pause", exact=True).click()
    wait_for_app(page)
