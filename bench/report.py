"""Shared helpers for benchmarks: robust statistics and writing one section of BENCHMARKS.md."""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import statistics
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "BENCHMARKS.md"


def summary(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"median": statistics.median(ordered), "p95": p95, "n": len(ordered)}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    # A run pinned with taskset sees fewer cores than the machine has (sched_getaffinity is Linux's alone).
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cores = f"{usable} cores" if usable == os.cpu_count() else f"{usable} of its {os.cpu_count()} cores"
    return f"{cpu}, {cores}, Python {platform.python_version()}"


def write_section(name: str, command: str, body: str) -> None:
    """Replace (or append) the section `name` of BENCHMARKS.md, stamped with command, machine and date."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    block = (f"<!-- {name}:start -->\n{body.strip()}\n\n"
             f"*Command:* `{command}` · *Machine:* {machine()} · *Date:* {stamp}\n<!-- {name}:end -->")
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else "# Benchmarks\n\nEvery figure here is written by a script in `bench/`; rerun it to refresh its section.\n"
    pattern = re.compile(rf"<!-- {re.escape(name)}:start -->.*?<!-- {re.escape(name)}:end -->", re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    REPORT.write_text(text, encoding="utf-8")
