"""Before and after, same machine, same run: first paint of a cold server, and the concepts bench's slider answers,
for the tree at a `--before` commit (a git worktree beside this one) and this tree.

First paint: a fresh server per load, one page load each in Chromium at 1920×1080, timed from the request to the
page's heading drawn, the two trees and the one-line app interleaved round by round so a slow spell of the machine
hits every column alike. Sliders: each tree's own `bench/concepts_bench.py`, one after the other (each knows its own
pages' controls); the rows both have are compared.

Run: `.venv/bin/python bench/ab_bench.py --before 613cd13` (writes the "ab" section of BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import tests.browser.server as server  # noqa: E402
from bench.presenter_bench import ONE_LINE_APP, first_paint  # noqa: E402
from bench.report import ROOT, write_section  # noqa: E402

PAGES = (("home page", "", "SAE Playground"), ("KL page, deep link", "kl_divergence", "KL vs Jensen–Shannon"))
ROW = re.compile(r"^\| ([^|]+?) \| (\d+) \| (\d+) \| [\d.]+× \|$")


def worktree(commit: str) -> Path:
    """A checkout of `commit` beside this one (made once, reused)."""
    sha = subprocess.run(["git", "rev-parse", "--short", commit], cwd=ROOT, check=True, capture_output=True,
                         text=True).stdout.strip()
    path = Path(tempfile.gettempdir()) / f"sae-playground-{sha}"
    if not (path / "app.py").exists():
        subprocess.run(["git", "worktree", "add", "--detach", "--force", str(path), sha], cwd=ROOT, check=True,
                       capture_output=True)
    return path


def paints(browser, trees: dict[str, Path], rounds: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"one-line app (reference)": []}
    with tempfile.TemporaryDirectory() as tmp:
        one_line = Path(tmp) / "one_line.py"
        one_line.write_text(ONE_LINE_APP)
        for _ in range(rounds):
            times["one-line app (reference)"].append(first_paint(browser, str(one_line), "", "Hello"))
            for label, path, heading in PAGES:
                for name, tree in trees.items():
                    server.ROOT = tree  # streamlit_server starts the app from this folder
                    try:
                        times.setdefault(f"{label}, {name}", []).append(first_paint(browser, "app.py", path, heading))
                    finally:
                        server.ROOT = ROOT
    return times


def slider_rows(tree: Path) -> dict[str, float]:
    """Run `tree`'s concepts bench; its key-press rows (control → figure: median ms) from the section it wrote."""
    subprocess.run([sys.executable, "bench/concepts_bench.py"], cwd=tree, check=True, stdout=subprocess.DEVNULL)
    text = (tree / "BENCHMARKS.md").read_text(encoding="utf-8")
    section = text[text.index("<!-- concepts:start -->"):text.index("<!-- concepts:end -->")]
    section = section[:section.index("The server's share")]  # the browser's tables, not the reruns without one
    return {m[1]: float(m[2]) for m in map(ROW.match, section.splitlines()) if m}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="613cd13", help="the commit to compare this tree with")
    parser.add_argument("--rounds", type=int, default=5, help="first-paint loads per page and tree")
    parser.add_argument("--no-sliders", action="store_true", help="first paint only")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    before = worktree(args.before)
    trees = {f"before ({args.before})": before, "after (this tree)": ROOT}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=server.CHROMIUM, args=server.CHROMIUM_ARGS)
        times = paints(browser, trees, args.rounds)
        browser.close()
    ref = statistics.median(times["one-line app (reference)"])
    paint_rows = "\n".join(f"| {name} | {statistics.median(v):.2f} | {max(v):.2f} | {statistics.median(v) / ref:.2f}× |"
                           for name, v in times.items())
    body = f"""## Before and after issue 26: first paint and slider answers

First paint of a cold server in Chromium at 1920×1080, a fresh server per load, from the request to the page's
heading drawn ({args.rounds} loads each, the trees interleaved round by round; seconds; ratio against the one-line
app's median). *Before*: the tree at {args.before}; *after*: this tree.

| page | median | worst | vs one-line app |
| --- | --- | --- | --- |
{paint_rows}
"""
    if not args.no_sliders:
        old, new = slider_rows(before), slider_rows(ROOT)
        rows = "\n".join(f"| {name} | {old[name]:.0f} | {new[name]:.0f} | {new[name] / old[name]:.2f}× |"
                         for name in old if name in new)
        body += f"""
Key press → figure redrawn in Chromium (each tree's own `bench/concepts_bench.py`, run one after the other in this
run; medians of its 20 presses, or its first presses on fresh pages, ms; rows both trees measure):

| control → figure | before | after | after / before |
| --- | --- | --- | --- |
{rows}
"""
    print(body)
    write_section("ab", f"python bench/ab_bench.py --before {args.before}", body)


if __name__ == "__main__":
    main()
