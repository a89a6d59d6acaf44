"""The language model's page in Chromium, with the default model already on disk: a latent's contexts drawn after
it is picked, and the page's first paint beside other pages'.

Pick: on one server, the unit's number typed and Enter pressed, timed in the page from the key to its contexts in
the DOM (the server's rerun, the figures and the contexts' HTML), over PICKS latents. First paint: a fresh server
per load, from the request to the page's heading drawn (and, for this page, to its first contexts), ROUNDS loads
each, interleaved. Run: `.venv/bin/python bench/lm_page_bench.py` (the model must be trained: open the page on a
server, or `python -m app_core.lm_child <folder>`); writes the "lm-page" section of BENCHMARKS.md.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import summary, write_section  # noqa: E402
from app_core.lm_journal import read_journal, run_folder  # noqa: E402
from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, streamlit_server, wait_for_app  # noqa: E402

ROUNDS = 5
PICKS = 12
ENV = {"SAE_PLAYGROUND_BACKGROUND": "0"}
PAGES = {"lm_features": "A language model's features", "features": "Feature explorer", "train": "Train an SAE",
         "frontier": "Frontier"}
CONTEXTS = ".st-key-lm_unit_view .lm-ctx-list"

_ARM = """(want) => { window.__lmPick = null; const t = {}; 
    document.addEventListener('keydown', e => { if (e.key === 'Enter') t.t0 = performance.now(); },
                              {capture: true, once: true});
    const drawn = () => [...document.querySelectorAll('%s')].some(
        el => (el.getAttribute('aria-label') || '').includes(want + ','));
    const obs = new MutationObserver(() => { if (t.t0 !== undefined && drawn()) {
        obs.disconnect(); window.__lmPick = performance.now() - t.t0; } });
    obs.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true}); }""" % CONTEXTS


def pick_times(browser) -> list[float]:
    with streamlit_server(env=ENV) as url:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(f"{url}/lm_features")
        page.locator(CONTEXTS).first.wait_for(timeout=120_000)
        wait_for_app(page, 60_000)
        times = []
        for unit in range(100, 100 + 37 * PICKS, 37):
            box = page.locator(".st-key-lm_unit_pick input")
            box.fill(str(unit))
            page.evaluate(_ARM, f"Latent {unit}")
            box.press("Enter")
            page.wait_for_function("() => window.__lmPick !== null", timeout=60_000)
            times.append(page.evaluate("() => window.__lmPick"))
            wait_for_app(page, 60_000)
        page.close()
    return times


def first_paint(browser, path: str, heading: str) -> tuple[float, float | None]:
    with streamlit_server(env=ENV) as url:
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        page = context.new_page()
        start = time.perf_counter()
        page.goto(f"{url}/{path}")
        page.get_by_role("heading", name=heading).first.wait_for(timeout=60_000)
        painted = time.perf_counter() - start
        content = None
        if path == "lm_features":
            page.locator(CONTEXTS).first.wait_for(timeout=120_000)
            content = time.perf_counter() - start
        context.close()
    return painted, content


def main() -> None:
    from playwright.sync_api import sync_playwright

    if read_journal(run_folder()).stage != "ready":
        sys.exit(f"the default model is not ready in {run_folder()}: train it first")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        picks = pick_times(browser)
        paints = {path: [] for path in PAGES}
        content = []
        for _ in range(ROUNDS):
            for path, heading in PAGES.items():
                painted, drawn = first_paint(browser, path, heading)
                paints[path].append(painted)
                if drawn is not None:
                    content.append(drawn)
        browser.close()
    s = summary(picks)
    others = statistics.median([statistics.median(paints[p]) for p in PAGES if p != "lm_features"])
    rows = "\n".join(f"| {PAGES[p]} | {statistics.median(v):.2f} | {max(v):.2f} | "
                     f"{statistics.median(v) / others:.2f}× |" for p, v in paints.items())
    mine = statistics.median(paints["lm_features"])
    body = f"""## The language model's page (Chromium, the default model on disk)

| what | measured | target | |
|---|---|---|---|
| a latent's contexts drawn after it is picked (number typed, Enter → contexts in the page) | median {s['median']:.0f} ms, p95 {s['p95']:.0f} ms, worst {max(picks):.0f} ms ({len(picks)} picks) | ≤ 150 ms | {'✅' if s['median'] <= 150 else '❌'} |
| first paint against the other SAE pages' median | {mine:.2f} s against {others:.2f} s ({mine / others:.2f}×) | ≤ 1.2× | {'✅' if mine / others <= 1.2 else '❌'} |
| the page's first contexts drawn (model and index loaded by a fresh server) | median {statistics.median(content):.2f} s, worst {max(content):.2f} s | | |

First paint of a fresh server per load at 1440×900, from the request to the page's heading drawn (seconds, {ROUNDS} loads
each, interleaved; ratio against the median of the other pages' medians):

| page | median | worst | vs others |
| --- | --- | --- | --- |
{rows}
"""
    write_section("lm-page", "python bench/lm_page_bench.py", body)
    print(body)


if __name__ == "__main__":
    main()
