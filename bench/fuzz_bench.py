"""Bad input, fuzzed at length: the properties of tests/fuzz/ run on fresh random cases, counted, not asserted.

Every loader of a visitor's file (.npy, .csv, IDX folder, model .zip) and every page's URL parameters get
thousands of cases built from valid input and then damaged (tests/fuzz/cases.py). A case ends accepted, rejected
with a clear message (a plain ValueError, at most 400 characters), or as a failure: any other exception
(unhandled) or a broken property (say, a URL state that does not write itself back). The run happens in a
temporary working directory with TMPDIR pointed inside it; an audit hook records every path this process opens for
writing, creates, renames or removes, so a file written anywhere else shows up (and the repository is listed before
and after). Zip and gzip bombs are timed and their peak memory traced.

Run: `.venv/bin/python bench/fuzz_bench.py [--scale 1.0]` (writes the "fuzz" section of BENCHMARKS.md; exits 1 on
any failure). At scale 1, 21,000 cases take about 2½ minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import given  # noqa: E402
from hypothesis.configuration import set_hypothesis_home_dir  # noqa: E402

from bench.report import write_section  # noqa: E402
from tests.fuzz import cases  # noqa: E402

LOADERS = {  # target: (cases at scale 1, what its cases are)
    "npy": (3000, "`.npy` upload: damaged bytes and magic, declared shapes up to 2⁶³, object arrays, pickles, "
                  "NaN/inf/1e308, wrong rank and dtype, hand-written headers"),
    "csv": (3000, "`.csv` upload: NaN/inf/1e400/hex/full-width tokens, ragged and header rows, every line break, "
                  "UTF-16 and broken UTF-8, a pickle"),
    "idx": (1500, "IDX folder: damaged bytes, magic and gzip, declared sizes up to 2³², label counts, a 1 GiB gzip "
                  "bomb, a pickle"),
    "zip": (3000, "model `.zip`: damaged bytes, cfg.json fields set to any JSON, safetensors headers and values, "
                  "`../` and absolute names, bzip2/LZMA, encryption, zip bombs, pickles and a torch.save file"),
}
URL_CASES = 1000
TALK_CASES = 1500


def _run(target: str, strategy, check, n: int, tally: cases.Tally, failures: dict) -> None:
    """`n` random cases of `strategy` through `check`; every outcome counted, none raised."""
    @cases.fuzz_settings(n, derandomize=False)
    @given(strategy)
    def run(case):
        try:
            tally.record(target, check(case))
        except AssertionError as err:  # a broken property, or a rejection that was not a clear one
            tally.record_unhandled(target, err)
            failures.setdefault(target, repr(case)[:300])
        except Exception as err:  # noqa: BLE001 - counting escapes is the point
            tally.record_unhandled(target, err)
            failures.setdefault(target, repr(case)[:300])

    run()


WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
CHANGE_EVENTS = {"os.mkdir", "os.rename", "os.replace", "os.remove", "os.rmdir", "os.symlink", "os.link",
                 "os.truncate", "os.chmod", "shutil.rmtree", "shutil.copyfile", "shutil.move"}


def _watch_writes(written: list[str]) -> None:
    """Record each path this process changes (Python-level calls; loaders here write nothing from C)."""
    def hook(event: str, args: tuple) -> None:
        if event == "open":
            path, mode, flags = args
            if (mode and any(c in mode for c in "wax+")) or (mode is None and flags & WRITE_FLAGS):
                written.append(str(path))
        elif event in CHANGE_EVENTS and args:
            written.append(str(args[0]))

    sys.addaudithook(hook)


def _listing(folder: Path, skip: tuple[str, ...] = ()) -> set[str]:
    found = set()
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d not in skip]
        found.update(os.path.join(dirpath, name) for name in filenames + dirnames)
    return found


def _bombs() -> list[tuple[str, float, float, str]]:
    """(bomb, seconds, peak traced MiB, message) for each zip bomb and the IDX gzip bomb."""
    rows = []
    folder = cases.write_folder(Path(tempfile.mkdtemp()), {"train-images-idx3-ubyte.gz": cases.gzip_bomb()})
    targets = [(f"zip: {name}", lambda data=data: cases.check_zip(data)) for name, data in cases.zip_bombs().items()]
    targets.append(("IDX: .gz of 1 GiB of zeros in 1 MiB", lambda: cases.check_idx(folder)))
    for name, check in targets:
        tracemalloc.start()
        started = time.perf_counter()
        message = check()
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        rows.append((name, seconds, peak, message or "ACCEPTED"))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every target's number of cases")
    args = parser.parse_args()
    scaled = lambda n: max(1, round(n * args.scale))  # noqa: E731

    work = Path(tempfile.mkdtemp(prefix="sae-fuzz-bench-"))
    (work / "cwd").mkdir()
    (work / "tmp").mkdir()
    (work / "idx").mkdir()
    skip = (".git", ".venv", ".venv-saelens", "__pycache__", ".pytest_cache")
    repo_before = _listing(ROOT, skip)
    os.environ["TMPDIR"] = str(work / "tmp")
    tempfile.tempdir = str(work / "tmp")
    os.chdir(work / "cwd")
    # Hypothesis caches what it reads from the source in its home folder, the checkout's .hypothesis/ by default.
    set_hypothesis_home_dir(work / "hypothesis")
    written: list[str] = []
    _watch_writes(written)

    tally, failures = cases.Tally(), {}
    load = os.getloadavg()[0]
    started = time.perf_counter()
    seconds = {}
    for target, strategy, check in (
            ("npy", cases.npy_files(), lambda c: cases.check_array(c[1], "upload.npy")),
            ("csv", cases.csv_files(), lambda c: cases.check_array(c[1], "upload.csv")),
            ("idx", cases.idx_folders(), lambda c: cases.check_idx(cases.write_folder(work / "idx", c[1]))),
            ("zip", cases.model_zips(), lambda c: cases.check_zip(c[1]))):
        t0 = time.perf_counter()
        _run(target, strategy, check, scaled(LOADERS[target][0]), tally, failures)
        seconds[target] = time.perf_counter() - t0
        print(f"{target}: {tally.cases[target]:,} cases in {seconds[target]:.0f} s", flush=True)
    for cls in cases.page_states():
        target = f"url:{cls.__name__}"
        t0 = time.perf_counter()
        _run(target, cases.url_queries(cls), lambda q, cls=cls: cases.check_state(cls, q), scaled(URL_CASES), tally,
             failures)
        seconds[target] = time.perf_counter() - t0
        print(f"{target}: {tally.cases[target]:,} cases in {seconds[target]:.0f} s", flush=True)
    t0 = time.perf_counter()
    _run("url:talk", cases.talk_texts(), cases.check_talk, scaled(TALK_CASES), tally, failures)
    seconds["url:talk"] = time.perf_counter() - t0
    print(f"url:talk: {tally.cases['url:talk']:,} cases in {seconds['url:talk']:.0f} s", flush=True)
    bombs = _bombs()
    elapsed = time.perf_counter() - started

    outside = sorted({path for path in written if not os.path.realpath(path).startswith(os.path.realpath(work))})
    os.chdir(ROOT)
    in_cwd = sorted(_listing(work / "cwd"))
    repo_new = sorted(_listing(ROOT, skip) - repo_before)
    executed = cases.MARKER.exists()
    unhandled = sum(sum(c.values()) for c in tally.unhandled.values())

    body = _report(tally, seconds, bombs, elapsed, len(set(written)), outside, in_cwd, repo_new, executed,
                   (load, os.getloadavg()[0]))
    write_section("fuzz", "python bench/fuzz_bench.py" + (f" --scale {args.scale:g}" if args.scale != 1 else ""),
                  body)
    print(body)
    for path in outside[:20]:
        print(f"written outside the run's folder: {path}")
    for target, case in failures.items():
        print(f"\nfirst failing case of {target}: {case}\n  {dict(tally.unhandled[target])}")
    failed = unhandled or executed or outside or in_cwd or any(m == "ACCEPTED" for *_, m in bombs)
    shutil.rmtree(work, ignore_errors=True)
    cases.remove_marker_folder()
    return 1 if failed else 0


def _report(tally, seconds, bombs, elapsed, n_written, outside, in_cwd, repo_new, executed, load) -> str:
    lines = ["## Bad input, fuzzed: every loader and every page's URL", "",
             "Property-based fuzzing (Hypothesis, `tests/fuzz/cases.py`): each case starts from a valid file or URL "
             "and is then damaged. A case is *accepted* (a valid object comes back; for a URL, one that writes "
             "itself back unchanged), *rejected* (a plain `ValueError` with a message of at most 400 characters; "
             "for a URL, the state still loads and each refused parameter gets its message) or a *failure*: any "
             "other exception, or a broken property. `pytest tests/fuzz` runs 10,550 fixed cases of the same "
             "properties (about a minute of CPU); this run draws fresh ones. Seconds are wall-clock, on cores "
             f"shared with other work (load average {load[0]:.1f} at the start, {load[1]:.1f} at the end).", "",
             "| target | cases | accepted | rejected with a message | failures | seconds |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for target in tally.cases:
        failures = sum(tally.unhandled[target].values())
        lines.append(f"| {target} | {tally.cases[target]:,} | {tally.accepted[target]:,} | "
                     f"{tally.rejected(target):,} | {failures} | {seconds.get(target, 0):.0f} |")
    total_failures = sum(sum(c.values()) for c in tally.unhandled.values())
    lines.append(f"| **total** | **{tally.total():,}** | {sum(tally.accepted.values()):,} | "
                 f"{sum(tally.rejected(t) for t in tally.cases):,} | **{total_failures}** | {elapsed:.0f} |")
    lines += ["", "What the loaders' cases are:", ""]
    lines += [f"- {target}: {what}" for target, (_, what) in LOADERS.items()]
    lines += ["- url:*State: every page state in `app_core/state` (found by looking): up to six of its parameters "
              "(valid, near-valid, or text such as NaN, 1e309, 10,000 characters, control characters, "
              "right-to-left marks, emoji, a 300-byte folder name) plus unknown parameters",
              "- url:talk: `parse_talk` on scene lists (valid, unknown, 130 long) and any text", "",
              "The commonest rejections, by message (numbers shown as N, quoted values as …):", "",
              "| target | message | cases |", "| --- | --- | ---: |"]
    urls = Counter()
    for target, kinds in tally.rejections.items():
        if target.startswith("url:"):
            urls.update(kinds)
            continue
        for kind, n in kinds.most_common(4):
            lines.append(f"| {target} | {kind.replace('|', '/')} | {n:,} |")
    for kind, n in urls.most_common(5):
        lines.append(f"| url (all pages) | {kind.replace('|', '/')} | {n:,} |")
    distinct = sum(len(k) for k in tally.rejections.values())
    lines += ["", f"{distinct} distinct messages in all. Bombs, each refused before it is inflated "
                  "(peak memory as traced by `tracemalloc`):", "",
              "| bomb | seconds | peak MiB | message |", "| --- | ---: | ---: | --- |"]
    lines += [f"| {name} | {s:.3f} | {peak:.1f} | {message[:140]} |" for name, s, peak, message in bombs]
    lines += ["", f"Pickled payloads executed (each would create a marker file): {int(executed)}. Paths the run "
                  f"wrote, created or removed, as an audit hook saw them: {n_written:,}, {len(outside)} of them outside "
                  "its temporary directory (which holds the harness's IDX folders and Hypothesis's cache) and "
                  f"{len(in_cwd)} in its working directory. New paths in the checkout during the run: "
                  f"{len(repo_new)} (others work in it too)."]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
