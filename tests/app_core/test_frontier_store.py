"""Frontiers on disk: written whole, read back checked, computed once across processes, in the background."""

import json
import multiprocessing
import time

import pytest

from sae_core.training.frontier import FrontierPoint
from app_core.frontier_store import FrontierStore
from app_core.frontier_worker import FrontierWorker

pytestmark = pytest.mark.slow  # computes frontiers in child processes

POINTS = [FrontierPoint("relu", "ReLU + L1", "l1 = 1", 12.5, 0.01, 0.9),
          FrontierPoint("topk", "TopK", "k = 8", 8.0, 0.02, 0.8)]


def test_a_saved_frontier_reads_back_equal(tmp_path):
    store = FrontierStore(tmp_path)
    assert store.load("toy") is None
    store.save("toy", POINTS)
    assert store.load("toy") == POINTS
    assert store.load("digits") is None  # one file per dataset


def test_a_tampered_or_foreign_file_is_not_a_frontier(tmp_path):
    store = FrontierStore(tmp_path)
    store.save("toy", POINTS)
    path = store.path("toy")
    for text in ("not json", json.dumps({"points": [{"method": "relu"}]}), json.dumps([1, 2]), "x" * 2_000_000):
        path.write_text(text)
        assert store.load("toy") is None  # computed afresh rather than trusted


def test_diverged_points_are_left_out_not_written_as_nan(tmp_path):
    store = FrontierStore(tmp_path)
    store.save("toy", POINTS + [FrontierPoint("kl", "KL", "beta = 60", float("nan"), 1.0, 0.0)])
    assert "NaN" not in store.path("toy").read_text() and store.load("toy") == POINTS


def test_the_file_name_changes_when_the_recipe_does(tmp_path, monkeypatch):
    from app_core import frontier_store

    before = FrontierStore(tmp_path).path("toy")
    monkeypatch.setitem(frontier_store.SETUPS, "toy", (32, 1.0))
    frontier_store._fingerprint.cache_clear()
    try:
        assert FrontierStore(tmp_path).path("toy") != before  # a new sweep is not read from an old file
    finally:
        monkeypatch.undo()
        frontier_store._fingerprint.cache_clear()


def _hold_lock(directory, ready, release):
    with FrontierStore(directory).computing("toy") as mine:
        ready.put(mine)
        release.get(timeout=30)


def test_only_one_process_computes_a_frontier(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    ready, release = ctx.Queue(), ctx.Queue()
    other = ctx.Process(target=_hold_lock, args=(str(tmp_path), ready, release))
    other.start()
    try:
        assert ready.get(timeout=60) is True
        with FrontierStore(tmp_path).computing("toy") as mine:
            assert mine is False  # the other process holds it
    finally:
        release.put(None)
        other.join(30)
    with FrontierStore(tmp_path).computing("toy") as mine:
        assert mine is True  # released when it finished


def _fake_compute(calls):
    def compute(data, latents, epochs, progress=None, pause=None):
        calls.append(data)
        if pause:
            pause()
        for i in range(3):
            progress(i, 3, f"run {i}")
        return POINTS
    return compute


def test_the_worker_computes_what_is_missing_and_reports_progress(tmp_path):
    store, calls = FrontierStore(tmp_path), []
    store.save("digits", POINTS)  # already on disk from an earlier start
    worker = FrontierWorker(store, lambda key: f"data:{key}", keys=("toy", "digits", "mnist"), start_delay=0,
                            compute=_fake_compute(calls)).start()
    worker.join(30)
    assert calls == ["data:toy", "data:mnist"]
    assert store.load("toy") == POINTS and store.load("mnist") == POINTS
    assert store.progress("toy").done == 2 and store.progress("toy").total == 3


def test_the_worker_gives_way_before_loading_and_inside_the_computation(tmp_path):
    store, calls, pauses = FrontierStore(tmp_path), [], []
    worker = FrontierWorker(store, lambda key: f"data:{key}", keys=("toy",), start_delay=0,
                            compute=_fake_compute(calls), pause=lambda: pauses.append(len(calls))).start()
    worker.join(30)
    assert pauses == [0, 1]  # once before the data is loaded, and the computation got it too


def test_a_failed_frontier_is_reported_and_the_others_still_computed(tmp_path):
    store = FrontierStore(tmp_path)

    def load(key):
        if key == "toy":
            raise OSError("disk on fire")
        return key

    worker = FrontierWorker(store, load, keys=("toy", "digits"), start_delay=0, compute=_fake_compute([])).start()
    worker.join(30)
    assert "disk on fire" in worker.errors["toy"] and store.load("digits") == POINTS


class _PlayedRun:
    """A visitor's run that plays on: always wants turns, each a short slice of sleep."""

    def __init__(self):
        self.turns, self.wanted = 0, True

    def wants_turns(self) -> bool:
        return self.wanted

    def take_turn(self, slice_s: float):
        if not self.wanted:
            return None
        time.sleep(slice_s / 4)
        self.turns += 1
        return time.monotonic()


def _paced_compute(stretches):
    def compute(data, latents, epochs, progress=None, pause=None):
        for i in range(stretches):
            pause()
            progress(i // 10, stretches // 10, f"run {i // 10}")
        return POINTS
    return compute


def test_the_worker_makes_progress_while_a_played_run_keeps_the_scheduler_busy(tmp_path):
    from app_core.live.background import BackgroundShare
    from app_core.live.scheduler import FairScheduler

    scheduler, run = FairScheduler(workers=1), _PlayedRun()
    scheduler.submit(run)
    share, store = BackgroundShare(lambda: scheduler), FrontierStore(tmp_path)
    worker = FrontierWorker(store, lambda key: key, keys=("toy",), start_delay=0, compute=_paced_compute(40),
                            share=share).start()
    try:
        worker.join(60)
        turns_beside = run.turns
        assert store.load("toy") == POINTS  # done while the run never stopped playing
        assert worker.pauses == 41 and share.turns >= 41  # every stretch had its turn (one before the data)
        assert store.progress("toy").sharing == 1  # and said with whom it shared
        assert turns_beside >= 20 and scheduler.active() == 1  # the visitor's run went on meanwhile
    finally:
        run.wanted = False
        scheduler.close()


def test_a_frontier_another_process_holds_is_waited_for_and_computed_if_it_gave_up(tmp_path):
    store, calls = FrontierStore(tmp_path), []
    held, release = FrontierStore(tmp_path).computing("toy"), None
    assert held.__enter__() is True  # a second open file's flock conflicts as another process's would
    try:
        worker = FrontierWorker(store, lambda key: key, keys=("toy", "digits"), start_delay=0,
                                compute=_fake_compute(calls)).start()
        deadline = time.monotonic() + 30
        while worker.waiting_on != "toy" and time.monotonic() < deadline:
            time.sleep(0.01)
        assert worker.waiting_on == "toy" and calls == ["digits"]  # went on with the others first
    finally:
        held.__exit__(None, None, None)  # the holder stops without saving
    worker.join(30)
    assert calls == ["digits", "toy"] and store.load("toy") == POINTS


def _describe(store, worker, key="digits", now=None):
    from sae_core.data import BUILTIN
    from app_core.frontier_worker import describe_wait

    return describe_wait(key, store, worker, BUILTIN.get, stale_s=120, now=now)


def test_the_wait_names_what_it_waits_for(tmp_path):
    store = FrontierStore(tmp_path)
    worker = FrontierWorker(store, lambda key: key, keys=("toy", "digits", "mnist"), start_delay=2.0)
    assert _describe(store, worker) == (0.0, "Waiting for the frontier worker, which starts 2 s after the server's "
                                             "first page, then loads PyTorch. Then it computes Toy features (ground "
                                             "truth known) before this one.")
    worker.phase = "loading"
    assert _describe(store, worker, key="toy")[1] == "Waiting for the frontier worker to load PyTorch."
    worker.phase, worker.current = "working", "toy"
    store.report("toy", 4, 21, "TopK, k = 8", sharing=2)
    fraction, text = _describe(store, worker, key="mnist")
    assert fraction == 0.0 and text.startswith("Queued behind the Toy features (ground truth known) frontier "
                                               "(run 5 of 21), then 8×8 digits.")
    assert "takes turns with 2 visitor runs" in text and "about 3× slower" in text
    fraction, text = _describe(store, worker, key="toy")
    assert fraction == 4 / 21 and text.startswith("Computing the Toy features (ground truth known) frontier in the "
                                                  "background: run 5 of 21 (TopK, k = 8).")
    worker.current = None  # the progress is another process's
    assert "by another process of this server" in _describe(store, worker, key="toy")[1]
    assert "Waiting for another process" in _describe(store, worker, key="toy", now=time.time() + 600)[1]
    worker.runs_done, worker.current = {"toy"}, "digits"  # toy's runs done, its baseline after digits' runs
    store.report("digits", 2, 17, "TopK, k = 8")
    store.report("toy", 16, 17, "dictionary learning next, after the other datasets' SAE runs")
    assert _describe(store, worker, key="toy")[0] == 16 / 17  # its runs are done
    assert _describe(store, worker, key="toy")[1] == ("Dictionary learning, the baseline, follows once every dataset's "
                                                      "SAE runs are done; the worker is on the 8×8 digits frontier "
                                                      "(run 3 of 17).")
    worker.runs_done, worker.current = set(), "toy"
    store.report("toy", 0, 0, "starting its process")  # before its first run: no "run 1 of 1"
    assert _describe(store, worker, key="toy")[1] == ("Computing the Toy features (ground truth known) frontier in "
                                                      "the background: starting its process.")


def _child_writing(path, payload: str, code: int = 0) -> list[str]:
    import sys

    script = (f"import sys; open({str(path)!r}, 'w').write({payload!r})" if code == 0 else
              "import sys; sys.stderr.write('Traceback (most recent call last):\\nValueError: bad data\\n'); "
              f"sys.exit({code})")
    return [sys.executable, "-c", script]


def test_in_a_child_process_each_frontier_is_computed_by_its_own_process(tmp_path):
    store = FrontierStore(tmp_path)
    payload = json.dumps({"format": 1, "dataset": "toy", "points": [p.as_dict() for p in POINTS]})
    worker, calls = FrontierWorker(store, lambda key: key, keys=("toy", "digits"), start_delay=0, in_child=True), []

    def command(key, runs_only):
        calls.append((key, runs_only))
        return _child_writing(store.path(key, partial=runs_only), payload, code=0 if key == "toy" else 1)

    worker.child_command = command
    worker.start().join(60)
    assert calls == [("toy", True), ("digits", True), ("toy", False)]  # every dataset's runs before a baseline
    assert store.load("toy") == POINTS and worker.runs_done == {"toy"}  # written by those processes, read here
    assert worker.errors == {"digits": "RuntimeError: ValueError: bad data"}  # its last words, for the page
    assert worker.child is None and worker.phase == "done"


def test_the_child_writes_progress_and_result_at_a_low_priority_and_stops_when_its_server_goes(tmp_path, monkeypatch):
    import os
    from types import SimpleNamespace

    import torch

    import sae_core.data
    from app_core import frontier_child
    from sae_core.training import frontier

    store, seen_before_baseline = FrontierStore(tmp_path), []
    priorities, parents = [], iter([100, 1])  # its server's pid, then init's at the pause: the server has gone
    baseline = [FrontierPoint("dictionary", "Dictionary learning", "non-zeros = 4", 4.0, 0.03, 0.7)]

    def compute(data, latents, epochs, include_dictionary=True, progress=None, pause=None):
        assert include_dictionary is False  # the baseline comes after the runs' points are saved
        progress(0, 2, "ReLU + L1, l1 = 1")
        pause()
        progress(1, 2, "TopK, k = 8")
        return POINTS

    def dictionary(x, atoms, seed):
        seen_before_baseline.append((store.load("toy", partial=True), store.progress("toy").what))
        return baseline

    monkeypatch.setattr(os, "setpriority", lambda *args: priorities.append(args))
    monkeypatch.setattr(torch, "set_num_threads", lambda n: None)
    monkeypatch.setattr(sae_core.data, "load_dataset", lambda key: SimpleNamespace(x=f"x:{key}"))
    monkeypatch.setattr(frontier, "compute_frontier", compute)
    monkeypatch.setattr(frontier, "_dictionary_points", dictionary)
    monkeypatch.setattr(os, "getppid", lambda: 100)
    assert frontier_child.main(["toy", str(tmp_path)]) == 0
    assert seen_before_baseline == [(POINTS, "scikit-learn dictionary learning")]  # the page could show the runs
    assert store.load("toy") == POINTS + baseline and store.load("toy", partial=True) is None
    assert store.progress("toy").what == "done" and priorities == [(os.PRIO_PROCESS, 0, 10)]
    monkeypatch.setattr(os, "getppid", lambda: next(parents))
    with pytest.raises(SystemExit):
        frontier_child.main(["digits", str(tmp_path)])
    assert store.load("digits") is None  # an orphan does not finish a frontier its server no longer holds


def test_a_runs_only_child_stops_before_the_baseline_and_the_next_one_adds_it(tmp_path, monkeypatch):
    import os
    from types import SimpleNamespace

    import torch

    import sae_core.data
    from app_core import frontier_child
    from sae_core.training import frontier

    store, trained, baseline = FrontierStore(tmp_path), [], [POINTS[0]]
    monkeypatch.setattr(os, "setpriority", lambda *args: None)
    monkeypatch.setattr(torch, "set_num_threads", lambda n: None)
    monkeypatch.setattr(sae_core.data, "load_dataset", lambda key: SimpleNamespace(x=key))
    monkeypatch.setattr(frontier, "compute_frontier", lambda *args, **kw: trained.append(1) or POINTS)
    monkeypatch.setattr(frontier, "_dictionary_points", lambda x, atoms, seed: baseline)
    assert frontier_child.main(["toy", str(tmp_path), "--runs-only"]) == 0
    assert store.load("toy") is None and store.load("toy", partial=True) == POINTS
    assert "dictionary learning next" in store.progress("toy").what
    assert frontier_child.main(["toy", str(tmp_path)]) == 0
    assert trained == [1] and store.load("toy") == POINTS + baseline  # the runs were not trained again


def test_a_partial_frontier_is_kept_apart_and_the_whole_one_replaces_it(tmp_path):
    store = FrontierStore(tmp_path)
    store.save("toy", POINTS[:1], partial=True)
    assert store.load("toy") is None and store.load("toy", partial=True) == POINTS[:1]
    store.save("toy", POINTS)
    assert store.load("toy") == POINTS and store.load("toy", partial=True) is None


def test_a_running_child_is_ended_with_its_server(tmp_path):
    import sys

    from app_core import frontier_worker

    worker = FrontierWorker(FrontierStore(tmp_path), lambda key: key, keys=("toy",), start_delay=0, in_child=True)
    worker.child_command = lambda key, runs_only: [sys.executable, "-c", "import time; time.sleep(60)"]
    worker.start()
    deadline = time.monotonic() + 30
    while worker.child is None and time.monotonic() < deadline:
        time.sleep(0.01)
    child = worker.child
    frontier_worker._end_children()  # what the server's exit runs
    worker.join(30)
    assert child.returncode is not None and child.returncode < 0  # ended by a signal, not left running
    assert "toy" in worker.errors and not frontier_worker._CHILDREN
