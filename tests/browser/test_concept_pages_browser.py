"""The concept pages that train (autoencoders, KL as a loss, superposition) and the home page's path, in
Chromium: Play animates, a slider changes the figure and the URL, and no console error appears (the
app_page fixture fails the test on one)."""

from __future__ import annotations

import time

import pytest

from components.site_map import PATH

from .server import wait_for_app


def metric(page, label_start: str, nth: int = 0) -> str:
    block = page.locator("[data-testid=stMetric]", has_text=label_start).nth(nth)
    return block.locator("[data-testid=stMetricValue]").inner_text().strip()


def wait_metric(page, label_start: str, condition: str, timeout_ms: int = 30_000, nth: int = 0) -> str:
    """Wait until the metric's text `v` satisfies the JavaScript expression `condition`."""
    page.wait_for_function(
        f"""([label, nth]) => {{
            const m = [...document.querySelectorAll('[data-testid=stMetric]')].filter(e => e.innerText.startsWith(label))[nth];
            const v = m && m.querySelector('[data-testid=stMetricValue]').innerText.trim();
            return v !== undefined && ({condition});
        }}""", arg=[label_start, nth], timeout=timeout_ms)
    return metric(page, label_start, nth)


def open_page(app_page, path: str, heading: str):
    page = app_page.goto_app(path)
    page.get_by_role("heading", name=heading).wait_for()  # a fresh server's first deep link reruns once
    wait_for_app(page)
    return page


def figure_paths(page, key: str) -> str:
    """The data paths of a Plotly chart (a key, or an interactive figure's chart by selector), a fingerprint of
    what it draws."""
    return page.locator(key if key.startswith(".") else f".st-key-{key} .js-plotly-plot").first.evaluate(
        "el => [...el.querySelectorAll('.scatterlayer path, .heatmaplayer image, .contourlayer path')]"
        ".map(p => p.getAttribute('d') || p.getAttribute('href') || '').join('|')")


def press_on_slider(page, key: str, keys: list[str]) -> None:
    """Keys on the slider `key` (a widget's key, or an interactive figure's slider by selector)."""
    page.locator(key if key.startswith(".") else f".st-key-{key} input[type=range]").first.focus()
    for k in keys:
        page.keyboard.press(k)


SP_ARROWS = ".st-key-sp_figure .if-chart[data-name=sp_arrows]"


def sp_slider(name: str) -> str:
    return f".st-key-sp_figure input[data-name={name}]"


def test_superposition_plays_into_a_pentagon_and_a_denser_setting_starts_over(app_page):
    page = open_page(app_page, "superposition", "Superposition: why SAEs exist")
    assert metric(page, "Step") == "0 / 1,500"
    page.locator(SP_ARROWS + " .scatterlayer path").first.wait_for()
    arrows = figure_paths(page, SP_ARROWS)
    page.get_by_role("button", name="Play", exact=True).click()
    wait_metric(page, "Step", "v === '1,500 / 1,500'", timeout_ms=40_000)
    wait_for_app(page)
    assert metric(page, "Features kept") == "5 of 5" and figure_paths(page, SP_ARROWS) != arrows
    press_on_slider(page, sp_slider("p"), ["End"])  # p = 1: dense features
    page.wait_for_function("() => location.search.includes('p=1')", timeout=15_000)
    wait_metric(page, "Step", "v === '0 / 1,500'")
    link = page.get_by_role("link", name="Train an SAE on data like this")
    assert "toy_features=5" in link.get_attribute("href")


def test_kl_loss_reverse_fit_locks_onto_the_nearer_mode_in_the_browser(app_page):
    page = open_page(app_page, "kl_loss", "KL as a loss: forward vs reverse")
    landscape = figure_paths(page, "kll_landscape")
    page.get_by_text("Reverse KL(Q‖P) — mode-seeking").click()
    page.wait_for_function("() => location.search.includes('dir=reverse')", timeout=15_000)
    wait_for_app(page)
    assert figure_paths(page, "kll_landscape") != landscape
    page.get_by_role("button", name="Play", exact=True).click()
    wait_metric(page, "Step", "v === '400 / 400'", timeout_ms=40_000)
    wait_for_app(page)
    assert abs(float(metric(page, "Mean")) - 3.0) < 0.05  # started at μ₀ = 1: the right-hand mode
    press_on_slider(page, "kll_mu0", ["Home"])  # μ₀ = −6: now the left-hand mode is nearer
    page.wait_for_function("() => location.search.includes('mu0=-6')", timeout=15_000)
    wait_metric(page, "Step", "v === '0 / 400'")
    assert metric(page, "Mean") == "-6.000"


def test_autoencoders_train_side_by_side_after_play(app_page):
    page = open_page(app_page, "autoencoders", "Autoencoders: bottleneck vs sparse")
    assert page.locator("[data-testid=stMetric]").count() == 0  # nothing trains before Play
    page.get_by_role("button", name="Play", exact=True).click()
    started = time.monotonic()
    # Explained variance: the bottleneck's is the first metric of that name, the sparse model's the second.
    wait_metric(page, "Explained variance", "parseFloat(v) > 60", nth=1, timeout_ms=60_000)
    print(f"Play to sparse FVE > 60% (cold: includes loading torch): {time.monotonic() - started:.1f} s")
    codes = figure_paths(page, "ae_code_relu")
    press_on_slider(page, "ae_l1", ["End"])  # λ = 10 while it trains
    page.wait_for_function("() => location.search.includes('l1=10')", timeout=15_000)
    wait_metric(page, "L0 · active of 256", "parseFloat(v) < 30", timeout_ms=60_000)
    assert figure_paths(page, "ae_code_relu") != codes
    page.get_by_role("button", name="Pause", exact=True).click()
    wait_for_app(page)


def test_the_home_page_walks_the_path_in_order(app_page):
    page = app_page.goto_app("")
    labels = [t.strip().splitlines()[-1] for t in page.locator("[data-testid=stPageLink]").all_inner_texts()]
    stops = [stop for stops in PATH.values() for stop in stops]
    assert [label.split(". ", 1)[0] for label in labels] == [str(i) for i in range(1, len(stops) + 1)]
    assert [label.split(". ", 1)[1] for label in labels] == [stop.title for stop in stops]  # the registry's order
    assert labels[0].endswith("Autoencoders") and labels[4].endswith("Superposition")
    page.get_by_role("link", name="4. KL as a loss").click()
    page.get_by_role("heading", name="KL as a loss: forward vs reverse").wait_for()


def test_a_click_on_the_kl_landscape_picks_the_start(app_page):
    page = open_page(app_page, "kl_loss", "KL as a loss: forward vs reverse")
    plot = page.locator(".st-key-kll_landscape .nsewdrag").first
    plot.scroll_into_view_if_needed()
    box = plot.bounding_box()
    # μ runs from −6 to 6 across the plot: a quarter of the way across is μ₀ = −3.
    page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.5)
    page.wait_for_function("() => location.search.includes('mu0=-3')", timeout=15_000)
    wait_for_app(page)
    assert metric(page, "Mean") == "-3.000" and metric(page, "Step") == "0 / 400"
    # The start slider moved by the server's rerun: its preview does not leave the charts dimmed after it.
    assert page.evaluate(CHART_OPACITIES) == ["", ""]
    page.get_by_role("button", name="Play", exact=True).click()
    wait_metric(page, "Step", "v === '400 / 400'", timeout_ms=40_000)
    assert metric(page, "Mean") == "0.000"  # forward KL: P's mean, from wherever it starts


# Client pixels of the point (μ, σ) on the KL landscape, by the chart's own axes (σ on a log axis).
LANDSCAPE_PIXEL = """([mu, sigma]) => { const gd = document.querySelector('.st-key-kll_landscape .js-plotly-plot');
  const area = gd.querySelector('.nsewdrag').getBoundingClientRect(), axes = gd._fullLayout;
  return [area.left + axes.xaxis.l2p(mu), area.top + axes.yaxis.l2p(Math.log10(sigma))]; }"""


# The landscape's scatter traces by name, as the chart holds them now: [x values, y values].
LANDSCAPE_TRACES = "() => Object.fromEntries(document.querySelector('.st-key-kll_landscape .js-plotly-plot').data" \
                   ".filter(t => t.type === 'scatter').map(t => [t.name, [Array.from(t.x), Array.from(t.y)]]))"
CHART_OPACITIES = "[...document.querySelectorAll('.stPlotlyChart')].map(e => e.style.opacity)"


def kl_page_after_20_steps(app_page):
    """The KL-as-a-loss page with Q 20 steps from its start (a path drawn), the landscape in view and its
    start ready to drag."""
    page = open_page(app_page, "kl_loss", "KL as a loss: forward vs reverse")
    page.get_by_role("button", name="Step ×20", exact=True).click()
    wait_metric(page, "Step", "v === '20 / 400'")
    wait_for_app(page)
    page.locator(".st-key-kll_start_drag[data-ready='1']").wait_for(state="attached")
    page.locator(".st-key-kll_landscape").scroll_into_view_if_needed()
    return page


def drawn_start(page) -> tuple[float, float]:
    """The start's centre as drawn (the second scatter trace's marker), not as the axes' formula puts it."""
    box = page.locator(".st-key-kll_landscape .scatterlayer .trace").nth(1).locator(".point").first.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_the_kl_start_is_dragged_on_the_landscape_after_a_fit_and_q_starts_there(app_page):
    page = kl_page_after_20_steps(app_page)
    ranges = "() => { const l = document.querySelector('.st-key-kll_landscape .js-plotly-plot')._fullLayout;" \
             " return [l.xaxis.range, l.yaxis.range]; }"
    before, axes = page.evaluate(LANDSCAPE_TRACES), page.evaluate(ranges)
    assert len(before["Q's path"][0]) > 1
    x0, y0 = drawn_start(page)
    x1, y1 = page.evaluate(LANDSCAPE_PIXEL, [-3.1, 2.04])
    page.mouse.move(x0, y0)
    page.mouse.down()
    for i in range(1, 9):
        page.mouse.move(x0 + (x1 - x0) * i / 8, y0 + (y1 - y0) * i / 8)
    # The start and Q follow in the browser, snapped to the sliders' steps; the old path is gone.
    during = page.evaluate(LANDSCAPE_TRACES)
    assert during["start"] == during["Q now"] == [[-3.0], [2.0]] and during["Q's path"] == [[], []]
    page.mouse.up()
    page.wait_for_function("() => location.search.includes('mu0=-3&sigma0=2')", timeout=15_000)
    wait_for_app(page)
    assert metric(page, "Mean") == "-3.000" and metric(page, "Sd") == "2.000" and metric(page, "Step") == "0 / 400"
    assert page.evaluate(LANDSCAPE_TRACES)["start"] == [[-3.0], [2.0]]  # the server's own chart, the start dropped
    x2, y2 = drawn_start(page)
    assert abs(x2 - x1) < 8 and abs(y2 - y1) < 8
    assert page.evaluate(ranges) == axes  # a drag of the marker, not of the chart
    # The start sliders moved with it, and no chart is left dimmed waiting for a preview.
    assert page.locator(".st-key-kll_mu0 input[type=range]").input_value() == "-3"
    assert page.evaluate(CHART_OPACITIES) == ["", ""]


def test_a_drag_of_the_kl_start_that_ends_where_it_began_changes_nothing(app_page):
    page = kl_page_after_20_steps(app_page)
    before, search = page.evaluate(LANDSCAPE_TRACES), page.evaluate("location.search")
    x0, y0 = page.evaluate(LANDSCAPE_PIXEL, [1.0, 1.0])
    x1, y1 = page.evaluate(LANDSCAPE_PIXEL, [4.0, 3.0])
    page.mouse.move(x0, y0)
    page.mouse.down()
    for x, y in ((x1, y1), (x0, y0)):
        page.mouse.move(x, y, steps=4)
    page.mouse.up()
    page.wait_for_timeout(800)
    assert page.evaluate(LANDSCAPE_TRACES) == before  # Q, its path and the start put back
    assert page.evaluate("location.search") == search and metric(page, "Step") == "20 / 400"


def test_the_kl_penalty_is_drawn_latent_by_latent_on_the_sparsity_page(app_page):
    page = open_page(app_page, "sparsity?arch=kl&data=toy", "Sparsity trade-off")
    page.get_by_role("button", name="Step ×50", exact=True).click()
    title = page.locator(".st-key-so_penalty .gtitle")
    title.wait_for(timeout=30_000)
    before = title.text_content()
    assert before.startswith("Penalty β·Σⱼ KL(ρ‖ρ̂ⱼ)")
    press_on_slider(page, "so_rho", ["ArrowRight"])
    page.wait_for_function("(old) => document.querySelector('.st-key-so_penalty .gtitle')?.textContent !== old",
                           arg=before, timeout=30_000)
    assert page.get_by_role("link", name="KL as a loss: forward vs reverse").count() == 1


# Records, once per chart, the position a preview showed and what the chart drew then. A chart the server
# mounts carries no data-preview: one seen with it was drawn in the browser before the server answered.
# What a chart draws: its lines, bars, images, shapes, and the text on bars and in annotations.
DRAWN = """(gd) => [...gd.querySelectorAll('.scatterlayer path, .barlayer path, .heatmaplayer image, .contourlayer path,'
  + ' .shapelayer path, .annotation-text, .bartext')]
  .map(p => p.getAttribute('d') || p.getAttribute('href') || p.textContent || '').join('|')"""
# A chart's titles as drawn: their text and weight (Streamlit draws a chart's title bold).
TITLES = """(gd) => [...gd.querySelectorAll('.gtitle')]
  .map(t => t.textContent + ':' + getComputedStyle(t.querySelector('tspan') || t).fontWeight).join('|')"""
RECORD_PREVIEWS = """(charts) => {
  const titles = """ + TITLES + """;
  window.__previews = [];
  const paths = (gd) => (""" + DRAWN + """)(gd) + titles(gd);
  new MutationObserver(() => {
    for (const key of charts) {
      const gd = document.querySelector(`.st-key-${key} .js-plotly-plot[data-preview]`);
      if (gd && !gd.__recorded) { gd.__recorded = true; window.__previews.push([key, gd.dataset.preview, paths(gd)]); }
    }
  }).observe(document.body, {subtree: true, attributes: true, attributeFilter: ['data-preview']});
}"""


# (page, heading, slider, charts, URL after one ArrowRight, the position its range input then holds: for a
# select_slider, the option's index)
SLIDER_CASES = [
    ("norms", "Sparsity and the L1 norm", "nm_lam", ("nm_curve_chart", "nm_shrunk_chart"), "lam=0.55", "0.55"),
    ("norms", "Sparsity and the L1 norm", "nm_radius", ("nm_balls_chart",), "t=1.05", "1.05"),
    ("kl_loss", "KL as a loss: forward vs reverse", "kll_sigma0", ("kll_densities", "kll_landscape"), "sigma0=1.1",
     "1.1"),
    ("kl_loss", "KL as a loss: forward vs reverse", "kll_separation", ("kll_densities", "kll_landscape"), "sep=6.5",
     "6.5"),
]


@pytest.mark.parametrize("path, heading, slider, charts, url_after, position", SLIDER_CASES)
def test_a_slider_move_is_drawn_before_the_server_answers_exactly_as_it_then_draws_it(app_page, path, heading,
                                                                                      slider, charts, url_after,
                                                                                      position):
    page = open_page(app_page, path, heading)
    page.locator(f".st-key-{slider}_preview").wait_for(state="attached")
    page.evaluate(RECORD_PREVIEWS, list(charts))
    press_on_slider(page, slider, ["ArrowRight"])
    # The first chart is drawn at once; a later one may find the server's chart already there (then it is not
    # previewed: the frames were made against the chart before).
    page.wait_for_function(f"() => window.__previews.some(p => p[0] === '{charts[0]}')", timeout=15_000)
    page.wait_for_function(f"() => location.search.includes('{url_after}')", timeout=15_000)
    wait_for_app(page)
    previews = page.evaluate("window.__previews")
    for key, value, drawn in previews:
        final = page.locator(f".st-key-{key} .js-plotly-plot").first
        assert value == position and final.get_attribute("data-preview") is None  # the server's own chart now
        final_titles = final.evaluate(TITLES)
        assert drawn == final.evaluate(DRAWN) + final_titles, key
        assert all(t.endswith(":700") for t in final_titles.split("|") if t), final_titles


def test_with_no_frame_for_the_position_the_charts_wait_dimmed_for_the_server(app_page):
    page = open_page(app_page, "kl_loss", "KL as a loss: forward vs reverse")
    page.get_by_role("button", name="Play", exact=True).click()  # a playing fit sends no frames
    page.locator(".st-key-kll_sigma0_preview[data-frames='0']").wait_for(state="attached")
    page.evaluate("""() => { window.__dimmed = 0; new MutationObserver((ms) => { for (const m of ms)
        if (m.target.matches('.st-key-kll_densities .stPlotlyChart') && m.target.style.opacity === '0.45') window.__dimmed++; })
        .observe(document.body, {subtree: true, attributes: true, attributeFilter: ['style']}); }""")
    press_on_slider(page, "kll_sigma0", ["ArrowRight"])
    page.wait_for_function("() => window.__dimmed > 0", timeout=15_000)
    page.wait_for_function("() => location.search.includes('sigma0=1.1')", timeout=15_000)
    page.get_by_role("button", name="Pause", exact=True).click()
    wait_for_app(page)
    chart = page.locator(".st-key-kll_densities .stPlotlyChart").first
    assert chart.evaluate("el => el.style.opacity") == ""  # the server's chart, not dimmed


def test_after_a_control_the_frames_do_not_depend_on_the_next_slider_still_answers_at_once(app_page):
    page = open_page(app_page, "norms", "Sparsity and the L1 norm")
    press_on_slider(page, "nm_radius", ["ArrowRight"])  # the balls section reruns on its own
    page.wait_for_function("() => location.search.includes('t=1.05')", timeout=15_000)
    wait_for_app(page)
    page.evaluate(RECORD_PREVIEWS, ["nm_curve_chart"])
    press_on_slider(page, "nm_lam", ["ArrowRight"])
    page.wait_for_function("() => window.__previews.some(p => p[1] === '0.55')", timeout=15_000)


def test_the_balls_answer_at_once_for_a_first_press_and_then_for_the_slider_moved_last(app_page):
    page = open_page(app_page, "norms", "Sparsity and the L1 norm")
    # The radius has all its frames on arrival, the others their two nearest positions: w*₁ 1.8 → 1.9 is drawn
    # before the server answers; its answer brings w*₁'s full set, for 1.9 → 2.
    page.locator(".st-key-nm_w1_preview").wait_for(state="attached")
    for value, query in (("1.9", "w1=1.9"), ("2", "w1=2")):
        wait_for_app(page)
        page.evaluate(RECORD_PREVIEWS, ["nm_balls_chart"])
        press_on_slider(page, "nm_w1", ["ArrowRight"])
        page.wait_for_function(f"() => window.__previews.some(p => p[1] === '{value}')", timeout=15_000)
        page.wait_for_function(f"() => location.search.includes('{query}')", timeout=15_000)
        wait_for_app(page)
        (key, _, drawn), = page.evaluate("window.__previews")
        final = page.locator(".st-key-nm_balls_chart .js-plotly-plot").first
        assert final.get_attribute("data-preview") is None  # the server's own chart now, drawn as the preview was
        assert drawn == final.evaluate(DRAWN) + final.evaluate(TITLES)
        # w*₁ is the one moved last now: its full set, the radius down to its two neighbours.
        assert int(page.locator(".st-key-nm_w1_preview").get_attribute("data-frames")) > 2
        assert page.locator(".st-key-nm_radius_preview").get_attribute("data-frames") == "2"


def test_a_frame_made_at_another_position_of_a_group_slider_is_not_drawn(app_page):
    # w*₁'s frames were made at w*₂ = 1.0. Were w*₂'s range input elsewhere (moved by a press whose rerun has not
    # answered yet, while an older rerun's data reset the page's record of presses), a w*₁ frame would show the
    # wrong balls: the chart waits for the server, dimmed, instead.
    page = open_page(app_page, "norms", "Sparsity and the L1 norm")
    page.locator(".st-key-nm_w1_preview").wait_for(state="attached")
    wait_for_app(page)
    page.evaluate(RECORD_PREVIEWS, ["nm_balls_chart"])
    page.evaluate("() => { document.querySelector('.st-key-nm_w2 input[type=range]').value = '1.5'; }")
    dimmed = "() => document.querySelector('.st-key-nm_balls_chart .stPlotlyChart').style.opacity === '0.45'"
    press_on_slider(page, "nm_w1", ["ArrowRight"])
    page.wait_for_function(dimmed, timeout=15_000)
    page.wait_for_function("() => location.search.includes('w1=1.9')", timeout=15_000)
    wait_for_app(page)
    assert page.evaluate("window.__previews") == []  # no frame drawn: the server's chart came instead


def test_superposition_sparsity_answers_at_once_with_the_new_runs_first_picture(app_page):
    page = open_page(app_page, "superposition", "Superposition: why SAEs exist")
    press_on_slider(page, sp_slider("p"), ["ArrowLeft"])  # p 0.05 → 0.02: p's patches all there from now on
    page.wait_for_function("() => location.search.includes('p=0.02')", timeout=15_000)
    wait_for_app(page)
    page.get_by_role("button", name="Step ×100", exact=True).click()  # trained a little: the patches differ
    wait_metric(page, "Step", "v === '100 / 1,500'")
    wait_for_app(page)
    charts = page.locator(".st-key-sp_figure .if-chart")
    assert charts.count() == 4
    # The charts' data, not their SVG: the arrows keep equal axis scales (scaleanchor), which Plotly may widen a
    # little differently for a chart drawn afresh than for one redrawn in place.
    data = "(gd) => JSON.stringify(gd.data.map(t => [t.x, t.y, t.z, t.text]))"
    trained = page.locator(SP_ARROWS).evaluate(data)
    charts.evaluate_all("""(charts, data) => { window.__patches = []; const f = eval(data);
      for (const gd of charts) new MutationObserver(() => {
        if (gd.dataset.source === 'patch' && !gd.__recorded) {
          gd.__recorded = true; window.__patches.push([gd.dataset.name, gd.dataset.shown, f(gd)]); }
      }).observe(gd, {attributes: true, attributeFilter: ['data-source', 'data-shown']}); }""", data)
    press_on_slider(page, sp_slider("p"), ["ArrowRight"])  # p 0.02 → 0.05
    page.wait_for_function("() => window.__patches.some(p => p[0] === 'sp_arrows')", timeout=15_000)
    page.wait_for_function("() => location.search.includes('p=0.05')", timeout=15_000)
    wait_metric(page, "Step", "v === '0 / 1,500'")
    wait_for_app(page)
    page.locator(f"{SP_ARROWS}[data-source=server]").wait_for(timeout=15_000)
    patched = page.evaluate("window.__patches")
    assert {name for name, _, _ in patched} == {"sp_arrows", "sp_gram", "sp_norms", "sp_loss"}
    for name, _, drawn in patched:
        assert drawn == page.locator(f".st-key-sp_figure .if-chart[data-name={name}]").evaluate(data), name
    assert dict((name, drawn) for name, _, drawn in patched)["sp_arrows"] != trained  # the new run, drawn at once
