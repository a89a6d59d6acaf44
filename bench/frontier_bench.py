"""Time to every built-in dataset's Frontier on a fresh server while visitors keep runs playing.

A fresh server (background work on, an empty cache folder) is started; `--runs` visitors (websocket clients
speaking Streamlit's protocol, bench/streamlit_client.py) open the Sparsity trade-off page at its defaults and
press Play at once, and keep it playing. The cache folder is polled until every frontier is on disk; the
section records the time from the server's health check to each one's first points on screen (the SAE runs, shown
while dictionary learning goes on) and to the whole of it, what the progress said about sharing, and the visitors'
steps/s meanwhile.

Run: `.venv/bin/python bench/frontier_bench.py --runs 2` (writes the "frontier-share" section of BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import write_section  # noqa: E402
from bench.streamlit_client import Visitor  # noqa: E402
from tests.browser.server import streamlit_server  # noqa: E402

POLL_S = 1.0


async def _player(url: str, done: asyncio.Event, visits: list) -> None:
    async with Visitor(url, "sparsity") as v:
        visits.append(v.visit)
        await v.rerun(("so_play", "trigger_value", True))
        await done.wait()
        v.stop_timers()


async def _watch(store, keys, started: float, limit_s: float, done: asyncio.Event, seen: dict, sharing: set,
                 shown: dict):
    while len(seen) < len(keys) and time.monotonic() - started < limit_s:
        for key in keys:
            if key not in seen and store.load(key) is not None:
                seen[key] = time.monotonic() - started
            if key not in shown and (key in seen or store.load(key, partial=True) is not None):
                shown[key] = time.monotonic() - started
            progress = store.progress(key)
            if key not in seen and progress is not None:
                sharing.add(progress.sharing)
        await asyncio.sleep(POLL_S)
    done.set()


async def _measure(url: str, store, keys, runs: int, started: float, limit_s: float):
    done, seen, sharing, visits, shown = asyncio.Event(), {}, set(), [], {}
    players = [_player(url, done, visits) for _ in range(runs)]
    await asyncio.gather(_watch(store, keys, started, limit_s, done, seen, sharing, shown), *players)
    return seen, shown, sharing, visits


def _rate(visit) -> float:
    log = visit.step_log
    return (log[-1][1] - log[0][1]) / max(1e-9, log[-1][0] - log[0][0]) if len(log) >= 2 else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2, help="visitors who press Play and keep playing")
    parser.add_argument("--limit", type=float, default=900.0, help="give up after this many seconds")
    parser.add_argument("--no-write", action="store_true", help="print, do not write BENCHMARKS.md")
    args = parser.parse_args()

    from sae_core.data import BUILTIN
    from app_core.frontier_store import SETUPS, FrontierStore

    with tempfile.TemporaryDirectory() as cache:
        env = {"SAE_PLAYGROUND_BACKGROUND": "1", "SAE_PLAYGROUND_CACHE": cache}
        with streamlit_server(env=env) as url:
            started = time.monotonic()
            seen, shown, sharing, visits = asyncio.run(_measure(url, FrontierStore(Path(cache)), list(SETUPS),
                                                                args.runs, started, args.limit))
    def at(times: dict, key: str) -> str:
        return f"{times[key]:.0f} s" if key in times else f"not within {args.limit:.0f} s"

    rows = [f"| {BUILTIN[k]} | {at(shown, k)} | {at(seen, k)} |" for k in SETUPS]
    rates = [_rate(v) for v in visits]
    body = "\n".join([
        f"## Frontiers on a fresh server while {args.runs} visitors keep runs playing",
        "",
        "From the server's health check to each frontier's SAE runs on disk (what the page draws first) and to the "
        "whole frontier (background work on, an empty cache folder); "
        f"{args.runs} websocket visitors opened the Sparsity trade-off page at its defaults and pressed Play at once, "
        "and kept playing until the last frontier was there.",
        "",
        "| frontier | SAE runs shown after | whole frontier (with dictionary learning) after |",
        "| --- | --- | --- |",
        *rows,
        "",
        f"Runs the progress said the frontier shared the trainer with: {sorted(sharing)}. Visitors' steps/s "
        f"meanwhile: {', '.join(f'{r:.0f}' for r in rates) or 'none measured'}"
        + (f" (median {statistics.median(rates):.0f})." if rates else "."),
    ])
    print(body)
    if not args.no_write:
        write_section("frontier-share", f"python bench/frontier_bench.py --runs {args.runs}", body)


if __name__ == "__main__":
    main()
