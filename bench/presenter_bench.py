"""Presenter benchmark, in Chromium: first paint of a cold server, beside a one-line Streamlit app started and
loaded the same way in the same run; and the time from → to each scene of a talk through every scene, on the
first pass (runs for scenes not yet trained, libraries not yet loaded) and the second.

First paint: a fresh server per load, one page load each, timed from the request to the page's heading drawn
(the one-line app: its text). Run: `.venv/bin/python bench/presenter_bench.py` (writes the "presenter" section
of BENCHMARKS.md).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import write_section  # noqa: E402
from app_core.talk import SCENES, talk_text  # noqa: E402
from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, streamlit_server, wait_for_app  # noqa: E402

ROUNDS = 5
ONE_LINE_APP = 'import streamlit as st\nst.title("Hello")\n'
ENV = {"SAE_PLAYGROUND_BACKGROUND": "0"}  # a talk's timings, not a background computation's


def first_paint(browser, app: str, path: str, heading: str) -> float:
    with streamlit_server(app, env=ENV) as url:
        context = browser.new_context(viewport={"width": 1920, "height": 1080})
        page = context.new_page()
        start = time.perf_counter()
        page.goto(f"{url}/{path}")
        page.get_by_role("heading", name=heading).first.wait_for(timeout=60_000)
        elapsed = time.perf_counter() - start
        context.close()
    return elapsed


def scene_times(browser, passes: int = 2) -> list[list[float]]:
    """Seconds from → to each scene's title drawn and the app idle, per pass over the talk."""
    talk = talk_text(SCENES)
    times = []
    with streamlit_server(env=ENV) as url:
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        for _ in range(passes):
            page.goto(f"{url}/?present=1&talk={talk}")
            wait_for_app(page)
            page.get_by_text("Talk:").first.wait_for()
            page.wait_for_function("() => !!window.__saePresenterKeys")  # a key pressed before goes nowhere
            row = []
            for scene in SCENES:
                start = time.perf_counter()
                page.keyboard.press("ArrowRight")
                page.get_by_role("heading", name=scene.title, exact=True).first.wait_for(timeout=120_000)
                wait_for_app(page, timeout_ms=120_000)
                row.append(time.perf_counter() - start)
            times.append(row)
        page.close()
    return times


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        one_line = Path(tmp) / "one_line.py"
        one_line.write_text(ONE_LINE_APP)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        paints = {"one-line app (reference)": [], "home page": [], "KL page, deep link": []}
        for _ in range(ROUNDS):  # interleaved, so a slow spell of the machine hits every column alike
            paints["one-line app (reference)"].append(first_paint(browser, str(one_line), "", "Hello"))
            paints["home page"].append(first_paint(browser, "app.py", "", "SAE Playground"))
            paints["KL page, deep link"].append(first_paint(browser, "app.py", "kl_divergence",
                                                            "KL vs Jensen–Shannon"))
        scenes = scene_times(browser)
        browser.close()
    ref = statistics.median(paints["one-line app (reference)"])
    paint_rows = "\n".join(f"| {name} | {statistics.median(v):.2f} | {max(v):.2f} | {statistics.median(v) / ref:.2f}× |"
                           for name, v in paints.items())
    scene_rows = "\n".join(f"| {s.slug} | {s.page or 'home'} | {a:.2f} | {b:.2f} |"
                           for s, a, b in zip(SCENES, scenes[0], scenes[1]))
    body = f"""## Presenter mode: first paint and time to each scene

First paint of a cold server in Chromium at 1920×1080: a fresh server per load, from the request to the page's
heading drawn ({ROUNDS} loads each, interleaved; seconds; ratio against the one-line app's median):

| page | median | worst | vs one-line app |
| --- | --- | --- | --- |
{paint_rows}

Time from → to each scene of a talk through all {len(SCENES)} scenes (its title drawn and the app idle, seconds).
The first pass trains each scene's cached run once and loads PyTorch on the first SAE page; the second pass is
what a rehearsed talk sees:

| scene | page | first pass | second pass |
| --- | --- | --- | --- |
{scene_rows}

Medians over scenes: first pass {statistics.median(scenes[0]):.2f} s, second pass {statistics.median(scenes[1]):.2f} s;
slowest {max(scenes[0]):.2f} s and {max(scenes[1]):.2f} s.
"""
    print(body)
    write_section("presenter", "python bench/presenter_bench.py", body)


if __name__ == "__main__":
    main()
