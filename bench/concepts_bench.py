"""Concept pages benchmark, in Chromium: a key press on a control → the page's figure redrawn, against the same for a
trivial Streamlit app (a slider and one line of text) measured in the same run; and the Autoencoders page's
Play → recognisable reconstructions (the sparse model's FVE above 60%), cold (first Play on a fresh server:
PyTorch loads) and warm (Reset, then Play again).

Run: `.venv/bin/python bench/concepts_bench.py` (writes the "concepts" section of BENCHMARKS.md); with
`--sliders-only`, the slider rows alone, printed.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import summary, write_section  # noqa: E402
from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, streamlit_server, wait_for_app  # noqa: E402

PRESSES = 20
TRIVIAL_APP = '''import streamlit as st
v = st.slider("value", 0, 100, 50, key="v")
st.markdown(f"<span id='echo'>{v}</span>", unsafe_allow_html=True)
'''
# (row, page, heading, control, keys to alternate, probe, probe's argument): a key press on the control (a Playwright
# selector) until the probe (JavaScript) returns something new.
# A chart in an interactive figure is drawn inside the component's shadow root, which querySelector does not enter.
FINGERPRINT = ("(key) => { const box = document.querySelector(`.st-key-${key}`); if (!box) return '';"
               " let el = box.querySelector('.js-plotly-plot');"
               " if (!el) for (const n of box.querySelectorAll('*')) { el = n.shadowRoot?.querySelector('.js-plotly-plot'); if (el) break; }"
               " if (!el) return '';"
               " return [...el.querySelectorAll('.scatterlayer path, .barlayer path, .heatmaplayer image, .gtitle')]"
               ".map(p => p.getAttribute('d') || p.getAttribute('href') || p.textContent).join('|'); }")
# The vector editor draws inside its component's shadow root, which document.querySelector does not enter.
SHADOW_SVG = ("(key) => { for (const el of document.querySelectorAll(`.st-key-${key} *`)) {"
              " if (el.shadowRoot) return el.shadowRoot.querySelector('svg')?.innerHTML || ''; } return ''; }")
SLIDER_KEYS, BAR_KEYS = ("ArrowRight", "ArrowLeft"), ("ArrowUp", "ArrowDown")
CASES = [
    ("norms: drag the vector (drawn in the browser)", "norms", "Sparsity and the L1 norm",
     ".st-key-nm_vector [data-index='0']", BAR_KEYS, SHADOW_SVG, "nm_vector"),
    ("norms: radius slider → balls", "norms", "Sparsity and the L1 norm",
     ".st-key-nm_radius input[type=range]", SLIDER_KEYS, FINGERPRINT, "nm_balls_chart"),
    ("norms: w*₁ slider → balls", "norms", "Sparsity and the L1 norm",
     ".st-key-nm_w1 input[type=range]", SLIDER_KEYS, FINGERPRINT, "nm_balls_chart"),
    ("norms: λ slider → shrinkage chart", "norms", "Sparsity and the L1 norm",
     ".st-key-nm_lam input[type=range]", SLIDER_KEYS, FINGERPRINT, "nm_shrunk_chart"),
    ("kl_loss: σ₀ slider → densities", "kl_loss", "KL as a loss: forward vs reverse",
     ".st-key-kll_sigma0 input[type=range]", SLIDER_KEYS, FINGERPRINT, "kll_densities"),
    ("superposition: features slider → arrows", "superposition", "Superposition: why SAEs exist",
     ".st-key-sp_figure input[data-name=features]", SLIDER_KEYS, FINGERPRINT, "sp_figure"),
    ("autoencoders: width slider → sizes chart", "autoencoders", "Autoencoders: bottleneck vs sparse",
     ".st-key-ae_sizes input[type=range]", SLIDER_KEYS, FINGERPRINT, "ae_sizes"),
]
# A group's slider that has not moved yet: one press on a freshly opened page (after that it is the one moved
# last, and the rows above apply). (row, page, heading, the slider's range input, what shows its patches are
# there, chart key)
FIRST_PRESS_CASES = [
    ("norms: w*₂ → balls (radius moved last)", "norms", "Sparsity and the L1 norm",
     ".st-key-nm_w2 input[type=range]", ".st-key-nm_w2_preview", "nm_balls_chart"),
    ("kl_loss: left weight → densities (separation moved last)", "kl_loss", "KL as a loss: forward vs reverse",
     ".st-key-kll_left input[type=range]", ".st-key-kll_left_preview", "kll_densities"),
    ("superposition: importance decay → arrows (features moved last)", "superposition",
     "Superposition: why SAEs exist", ".st-key-sp_figure input[data-name=decay]",
     ".st-key-sp_figure .if-chart[data-source=server]", "sp_figure"),
]
FIRST_PRESS_LOADS = 6


# Timed in the page, from the key's keydown to the first animation frame whose DOM differs (what that frame
# paints): the time a person waits. Timed from Python instead, each sample also held the test driver's own
# messages, which wait for the page's main thread: after the first chart a slower one kept it busy, and a
# change drawn 80 ms after the key read as 260–330 ms.
ARM = """([probe, arg]) => {
  const f = eval(probe), before = f(arg);
  window.__press = {down: null, changed: null};
  document.addEventListener('keydown', () => { window.__press.down = performance.now(); }, {capture: true, once: true});
  const poll = () => {
    if (window.__press.down !== null && f(arg) !== before) { window.__press.changed = performance.now(); return; }
    requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
}"""


def press_until_changed(page, control: str, keys: tuple[str, str], probe: str, arg, presses: int) -> list[float]:
    """Time each key press on `control` until `probe(arg)` (JavaScript) returns something new. [ms]"""
    samples = []
    target = page.locator(control).first
    for i in range(presses):
        wait_for_app(page)
        page.wait_for_timeout(150)
        page.evaluate(ARM, [probe, arg])
        target.focus()
        page.keyboard.press(keys[i % 2])
        page.wait_for_function("() => window.__press.changed !== null", timeout=20_000)
        samples.append(page.evaluate("window.__press.changed - window.__press.down"))
    return samples


def slider_round_trips(browser) -> dict[str, dict]:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        trivial = Path(tmp) / "trivial_app.py"
        trivial.write_text(TRIVIAL_APP)
        with streamlit_server(app=str(trivial)) as url:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(url)
            wait_for_app(page)
            echo = "() => document.querySelector('#echo')?.textContent"
            results["trivial app (reference)"] = summary(press_until_changed(
                page, ".st-key-v input[type=range]", SLIDER_KEYS, f"({echo})", None, PRESSES))
            page.close()
    with streamlit_server() as url:
        for row, path, heading, control, keys, probe, arg in CASES:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(f"{url}/{path}")
            page.get_by_role("heading", name=heading).wait_for()
            wait_for_app(page)
            results[row] = summary(press_until_changed(page, control, keys, probe, arg, PRESSES))
            page.close()
    return results


def first_presses(browser) -> dict[str, dict]:
    """For each FIRST_PRESS_CASES row, FIRST_PRESS_LOADS fresh page loads, one ArrowRight each on the slider,
    timed in the page as `press_until_changed` does. [ms]"""
    results = {}
    with streamlit_server() as url:
        for row, path, heading, control, ready, chart in FIRST_PRESS_CASES:
            samples = []
            for _ in range(FIRST_PRESS_LOADS):
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                page.goto(f"{url}/{path}")
                page.get_by_role("heading", name=heading).wait_for()
                page.locator(ready).first.wait_for(state="attached")
                samples += press_until_changed(page, control, ("ArrowRight",), FINGERPRINT, chart, 1)
                page.close()
            results[row] = summary(samples)
    return results


# (page, slider key, two values to alternate between) for the server-side timing.
SERVER_MOVES = [
    ("norms", "nm_lam", (0.5, 1.0)),
    ("kl_loss", "kll_sigma0", (1.5, 1.0)),
    ("superposition", "sp_figure", (6, 5)),  # an interactive figure: its features slider, by option index
]
FIGURE_SLIDERS = {"sp_figure": ("features", 3, {"p": 2, "decay": 4})}  # (slider, its first option, the others)


def server_reruns(moves: int = PRESSES) -> dict[str, dict]:
    """A slider move → the whole script rerun, on the server alone (AppTest, no browser), against the trivial
    app in the same process. [ms]"""
    from streamlit.testing.v1 import AppTest

    root = Path(__file__).resolve().parents[1]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        trivial = Path(tmp) / "trivial_app.py"
        trivial.write_text(TRIVIAL_APP)
        cases = [("trivial app (reference)", AppTest.from_file(str(trivial)), "v", (40, 60))]
        for path, key, values in SERVER_MOVES:
            at = AppTest.from_file(str(root / "app.py"), default_timeout=60)
            at.switch_page(f"pages/{path}.py")
            cases.append((path, at, key, values))
        for name, at, key, values in cases:
            at.run()
            samples = []
            for i in range(moves):
                if key in FIGURE_SLIDERS:  # what the interactive figure sends
                    name, first, others = FIGURE_SLIDERS[key]
                    index = values[i % 2] - first
                    at.session_state[key] = {"value": {"slider": name, "index": index, "seq": i + 1,
                                                       "indices": {**others, name: index}}}
                    widget = at
                else:
                    widget = at.slider(key=key).set_value(values[i % 2])
                started = time.perf_counter()
                widget.run()
                samples.append((time.perf_counter() - started) * 1e3)
            results[name] = summary(samples)
    return results


def play_to_recognisable(page) -> float:
    """Seconds from pressing Play to the sparse model's explained variance above 60%."""
    started = time.perf_counter()
    page.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function(
        """() => { const m = [...document.querySelectorAll('[data-testid=stMetric]')]
                     .filter(e => e.innerText.startsWith('Explained variance'))[1];
                   return m && parseFloat(m.querySelector('[data-testid=stMetricValue]').innerText) > 60; }""",
        timeout=120_000)
    elapsed = time.perf_counter() - started
    page.get_by_role("button", name="Pause", exact=True).click()
    wait_for_app(page)
    return elapsed


def autoencoders_play(browser, cold_runs: int = 3, warm_runs: int = 5) -> tuple[list[float], list[float]]:
    """Cold: a fresh server per run (its first page this one, Play pressed as soon as it is drawn); warm: Reset
    and Play again on the last of them."""
    cold, warm = [], []
    for run in range(cold_runs):
        with streamlit_server() as url:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(f"{url}/autoencoders")
            page.get_by_role("heading", name="Autoencoders: bottleneck vs sparse").wait_for()
            wait_for_app(page)
            cold.append(play_to_recognisable(page))
            for _ in range(warm_runs if run == cold_runs - 1 else 0):
                page.get_by_role("button", name="Reset", exact=True).click()
                wait_for_app(page)
                page.wait_for_timeout(300)
                warm.append(play_to_recognisable(page))
            page.close()
    return cold, warm


def sliders_only() -> None:
    """The slider rows alone (both tables' first), printed as JSON, BENCHMARKS.md untouched: for a before/after
    comparison of two trees, each run from its own."""
    import json

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        trips, firsts = slider_round_trips(browser), first_presses(browser)
        browser.close()
    print(json.dumps({"trips": trips, "firsts": firsts}, indent=1))


def main() -> None:
    from playwright.sync_api import sync_playwright

    if "--sliders-only" in sys.argv[1:]:
        sliders_only()
        return
    server = server_reruns()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        trips = slider_round_trips(browser)
        firsts = first_presses(browser)
        cold, warm = autoencoders_play(browser)
        browser.close()
    ref = trips["trivial app (reference)"]["median"]
    rows = "\n".join(f"| {name} | {s['median']:.0f} | {s['p95']:.0f} | {s['median'] / ref:.2f}× |"
                     for name, s in trips.items())
    first_rows = "\n".join(f"| {name} | {s['median']:.0f} | {s['p95']:.0f} | {s['median'] / ref:.2f}× |"
                           for name, s in firsts.items())
    server_ref = server["trivial app (reference)"]["median"]
    server_rows = "\n".join(f"| {name} | {s['median']:.0f} | {s['p95']:.0f} | {s['median'] - server_ref:+.0f} |"
                            for name, s in server.items())
    warm_s, cold_s = sorted(warm), sorted(cold)
    body = f"""## Concept pages: slider → figure, and the autoencoders' first reconstructions

Key press on a control → the page's figure redrawn in Chromium ({PRESSES} presses each, ms, timed in the page
from the keydown to the first animation frame that draws the change; ratio against the trivial app's median in
the same run). The Norms page's vector is a component that draws itself in the
browser and tells Python when the keys pause or a drag ends. The sliders' Plotly charts are redrawn in the
browser from frames the server made ahead for nearby positions (components/slider_preview.js), before the
server's rerun mounts the same figure:

| control → figure | median | p95 | vs trivial app |
| --- | --- | --- | --- |
{rows}

Where several sliders draw the same chart, the one moved last has every frame that fits and each other one its
two nearest positions. The first press of one of those others, on a freshly opened page ({FIRST_PRESS_LOADS} page
loads each, ms; the trivial app's median as above):

| control → figure | median | p95 | vs trivial app |
| --- | --- | --- | --- |
{first_rows}

The server's share: a slider move (Norms: λ; KL as a loss: σ₀; Superposition: features) → the whole script rerun, without a browser (AppTest, {PRESSES} moves each,
ms; the last column is what the page adds to the trivial app's rerun):

| page | median | p95 | added |
| --- | --- | --- | --- |
{server_rows}

Autoencoders page, Play → sparse model's explained variance above 60%: cold (a fresh server, this page its first,
Play pressed as soon as it is drawn: PyTorch is still loading; {len(cold)} servers) median {cold_s[len(cold_s) // 2]:.1f} s,
each {", ".join(f"{c:.1f}" for c in cold)} s; warm (Reset, Play again; {len(warm)} runs) median {warm_s[len(warm_s) // 2]:.1f} s,
worst {warm_s[-1]:.1f} s. The page redraws once a second while it trains, so a warm figure arrives up to
1 s after the model is there.
"""
    print(body)
    write_section("concepts", "python bench/concepts_bench.py", body)


if __name__ == "__main__":
    main()
