"""Readable from the back of the room: in Chromium, no chart's text (titles, tick labels, legend, annotations,
pin labels) overprints other text or is cut by the chart's edge — on the pages presented at 1920×1080, and in
the slide download's 960×540 layout."""

from __future__ import annotations

import time
from types import SimpleNamespace as NS

import numpy as np
import pytest

from app_core.figures.projector import for_projector
from app_core.figures.sae_figures import frontier_figure, live_curves, tradeoff_plane

from .figure_text import TEXT_BOXES_JS, problems, render
from .server import wait_for_app

DOWNLOAD = (960, 540)  # components/figure_view.py: the slide's layout, drawn at scale 2


def _run_curve():
    return [NS(step=s, l0=40 * np.exp(-s / 3000) + 8, mse=0.02 + 0.01 * np.exp(-s / 500),
               fve=0.9 - 0.5 * np.exp(-s / 400), dead_fraction=None if s < 1000 else 0.19, mmcs=0.8)
            for s in range(0, 6000, 20)]


def _frontier():
    sweep = {"relu": ("ReLU + L1", [(60, 0.01), (30, 0.02), (12, 0.04), (4, 0.07)]),
             "kl": ("KL-sparsity (sigmoid)", [(64, 0.012), (64, 0.02)]),
             "topk": ("TopK", [(4, 0.05), (8, 0.03), (16, 0.018), (32, 0.011)]),
             "jumprelu": ("JumpReLU", [(5, 0.045), (9, 0.03), (18, 0.016)]),
             "dictionary": ("Dictionary learning (scikit-learn, OMP)", [(4, 0.06), (8, 0.04), (16, 0.02), (32, 0.01)])}
    return [NS(method=m, label=label, setting=f"{m} {i}", l0=l0, mse=mse, fve=1 - 10 * mse)
            for m, (label, pts) in sweep.items() for i, (l0, mse) in enumerate(pts)]


@pytest.fixture
def blank_page(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    yield context.new_page()
    context.close()


def test_sae_figures_in_projector_type_keep_their_text_apart_and_inside(blank_page):
    curve = _run_curve()
    crowded_pins = [NS(label="λ=1", l0=30.0, mse=0.025, fve=0.8), NS(label="λ=2", l0=22.0, mse=0.027, fve=0.78),
                    NS(label="λ=3", l0=20.0, mse=0.03, fve=0.7)]
    figures = {
        "curves": live_curves(curve, show_mmcs=True),
        "plane": tradeoff_plane(curve[-1], curve[-60:], crowded_pins, _frontier()[:4],
                                frontier_name="ReLU + L1, 10 epochs each"),
        "plane (explained variance)": tradeoff_plane(curve[-1], curve[-60:], crowded_pins, None, y="fve"),
        "frontier": frontier_figure(_frontier()),
    }
    found = []
    for name, fig in figures.items():
        shown = for_projector(fig)
        for width, height in ((900, None), DOWNLOAD):
            found += [f"{name} at {width}: {p}" for p in problems(render(blank_page, shown, width, height))]
    assert not found, "\n".join(found)


def _charts_drawn(page, keys: tuple[str, ...], timeout_s: float = 60.0) -> list[dict]:
    """Every chart on the page once each of `keys` (with none named: at least one chart) has drawn its text."""
    deadline = time.monotonic() + timeout_s
    while True:
        plots = page.evaluate(TEXT_BOXES_JS, None)
        drawn = {p["key"] for p in plots if p["texts"]}
        if all(f"st-key-{k}" in drawn for k in keys) and (keys or any(p["texts"] for p in plots)):
            return plots
        assert time.monotonic() < deadline, f"charts not drawn: {sorted(set(keys) - {d[7:] for d in drawn if d})}"
        page.wait_for_timeout(500)


@pytest.mark.parametrize("path, charts", [
    ("norms", ("nm_shrunk_chart",)),
    ("kl_divergence", ()),
    ("kl_loss", ()),
    ("superposition", ()),
    ("sparsity?data=toy&latents=64", ("so_curves", "so_plane", "so_bars", "so_cos")),
    ("sparsity", ("so_curves", "so_plane", "so_bars")),
])
def test_presented_charts_keep_their_text_apart_and_inside(app_page, path, charts):
    page = app_page
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto_app(f"{path}{'&' if '?' in path else '?'}present=1")
    if path.startswith("sparsity"):
        page.locator(".st-key-so_play button").first.click()
        page.wait_for_timeout(4000)
        page.locator(".st-key-so_play button").first.click()  # pause: the charts hold still to be measured
        wait_for_app(page)
        page.locator(".st-key-so_pin button").first.click()
        wait_for_app(page)
    else:
        page.locator(".js-plotly-plot .main-svg").first.wait_for()
    plots = _charts_drawn(page, charts)
    assert plots
    found = [f"{p['key']}: {problem}" for p in plots for problem in problems(p)]
    assert not found, "\n".join(found)
