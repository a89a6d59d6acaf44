"""Live training page benchmark: training steps per second with the page live in Chromium vs the engine
alone, and the time from pressing Play to the first update.

Run: `.venv/bin/python bench/live_bench.py` (writes the "live" section of BENCHMARKS.md).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import summary, write_section  # noqa: E402
from sae_core.data import load_dataset  # noqa: E402
from app_core.live.run import LiveRun  # noqa: E402
from sae_core.training.presets import default_hparams  # noqa: E402

SECONDS = 12.0
PLAY_PRESSES = 10


def engine_alone() -> tuple[float, float]:
    """Steps/s of the same background runner the page uses, with no page; and on the main thread."""
    from app_core.live.background import BackgroundRunner

    hp, _ = default_hparams("relu", "images")
    run = LiveRun(load_dataset("mnist"), "relu", 256, hp, seed=0)
    # The background thread first: a main thread that has already run torch's parallel loops keeps its
    # OpenMP workers, which on 2 cores slow any other thread's torch work (see the notes below the table).
    runner = BackgroundRunner(run, idle_timeout=3 * SECONDS)
    runner.start()
    time.sleep(1.0)
    s0, t0 = run.steps, time.perf_counter()
    time.sleep(SECONDS)
    rate = (run.steps - s0) / (time.perf_counter() - t0)
    runner.close()
    main_thread = run.advance(budget_s=SECONDS / 2) / (SECONDS / 2)
    return rate, main_thread


def _renice_chromium() -> None:
    """Lower Chromium's priority: a visitor's browser runs on their own machine, not on the server."""
    import subprocess

    pids = subprocess.run(["pgrep", "-f", "chromium"], capture_output=True, text=True).stdout.split()
    for pid in pids:
        try:
            os.setpriority(os.PRIO_PROCESS, int(pid), 19)
        except OSError:
            pass


def page_live(renice: bool) -> tuple[float, dict]:
    from playwright.sync_api import sync_playwright

    from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, streamlit_server, wait_for_app

    step_js = ("() => { const m = [...document.querySelectorAll('[data-testid=stMetric]')]"
               ".find(e => e.innerText.startsWith('Step')); "
               "return parseInt(m.querySelector('[data-testid=stMetricValue]').innerText.replace(/,/g, '')); }")
    button = lambda page, name: page.get_by_role("button", name=name, exact=True)  # noqa: E731
    first_updates = []
    with streamlit_server() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/sparsity")
        wait_for_app(page)
        if renice:
            _renice_chromium()
        for _ in range(PLAY_PRESSES):
            # Wait for each click's effect, not only for an idle page: right after a click the page can
            # still read "not running", and a Play pressed then would find the last run's steps on screen.
            button(page, "Reset").click()
            page.wait_for_function(f"() => ({step_js})() === 0", timeout=20_000)
            wait_for_app(page)
            t0 = time.perf_counter()
            button(page, "Play").click()
            page.wait_for_function(f"() => ({step_js})() > 0", polling="raf", timeout=20_000)
            first_updates.append((time.perf_counter() - t0) * 1e3)
            button(page, "Pause").click()
            button(page, "Play").wait_for(timeout=20_000)
            wait_for_app(page)
        button(page, "Reset").click()
        wait_for_app(page)
        button(page, "Play").click()
        page.wait_for_function(f"() => ({step_js})() > 0", timeout=20_000)
        page.wait_for_timeout(1000)  # same warm-up as the engine alone
        s0, t0 = page.evaluate(step_js), time.perf_counter()
        page.wait_for_timeout(SECONDS * 1000)
        s1, t1 = page.evaluate(step_js), time.perf_counter()
        button(page, "Pause").click()
        browser.close()
    return (s1 - s0) / (t1 - t0), summary(first_updates)


def main() -> None:
    alone, main_thread = engine_alone()
    live_colocated, first = page_live(renice=False)
    live_reniced, first_reniced = page_live(renice=True)
    body = f"""## Live training page (Sparsity trade-off, MNIST-5k, ReLU + L1, 256 latents, batch 256)

| what | measured | target |
|---|---|---|
| engine alone: the page's background runner with no page | {alone:.0f} steps/s | reference |
| page live, Chromium at normal priority on the same 2 cores | {live_colocated:.0f} steps/s = **{live_colocated / alone:.2f}×** the reference | ≥ 0.8× (UI costs < 20%) |
| page live, Chromium at nice 19 (as if on the visitor's machine) | {live_reniced:.0f} steps/s = **{live_reniced / alone:.2f}×** the reference | ≥ 0.8× |
| Play → first update on screen | median {first['median']:.0f} ms, p95 {first['p95']:.0f} ms; with Chromium reniced median {first_reniced['median']:.0f} ms, p95 {first_reniced['p95']:.0f} ms ({PLAY_PRESSES} presses each) | |

For context, the same training on the process's main thread runs at {main_thread:.0f} steps/s. On 2 cores a
training thread that is not the first in its process to use torch loses about half of that on these
small matrices (the first thread's OpenMP workers spin against it; measured here with no page at all),
so the reference is the same background thread the page uses. Inside the Streamlit server that thread
has measured faster than in this bare process since the session-2 changes (persistent thread, bf16
products, frozen GC); the cause is not pinned down, so read a ratio above 1 as "the page costs nothing
measurable", not as a speed-up. Training runs on that thread in chunks of 5 steps under a lock, and
the thread itself measures 1,000 held-out inputs every 0.4 s; once a second the page's fragment reads
that snapshot and redraws the metrics, three charts and two pictures, running no torch code itself.
A refresh every 0.5 s cost about half the throughput (the redraws overran their period on 2 cores).
"""
    write_section("live", "python bench/live_bench.py", body)
    print(body)


if __name__ == "__main__":
    main()
