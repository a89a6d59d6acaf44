"""Scenes resume runs trained ahead: trained once per process, each visitor given a private copy."""

import threading

import numpy as np

from app_core.live import JobController, LiveStatus, RunCache
from dataclasses import dataclass


@dataclass(frozen=True)
class CountSnapshot(LiveStatus):
    step: int


class Counter:
    trained = 0  # steps taken by every Counter: how much work the cache did

    def __init__(self):
        self.steps = 0
        self.data = np.arange(1000.0)  # read-only data a copy should share

    def train(self, n: int) -> None:
        Counter.trained += n
        self.steps += n

    def snapshot(self) -> CountSnapshot:
        return CountSnapshot(step=self.steps)


def test_a_scene_run_is_trained_once_and_each_visitor_gets_a_private_copy():
    Counter.trained = 0
    cache = RunCache()
    first, second = cache.resume("k", Counter(), 120), cache.resume("k", Counter(), 120)
    assert first.steps == second.steps == 120
    assert Counter.trained == 120  # the second visitor waited for nothing
    first.train(5)
    assert second.steps == 120  # one visitor training on does not move another's model
    assert first.data is second.data  # the dataset is shared, not copied


def test_visitors_asking_at_once_share_one_training():
    Counter.trained = 0
    cache, got = RunCache(), []
    threads = [threading.Thread(target=lambda: got.append(cache.resume("k", Counter(), 300))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [job.steps for job in got] == [300] * 4 and Counter.trained == 300


def test_progress_is_reported_while_the_run_is_first_trained():
    seen = []
    RunCache().resume("k", Counter(), 120, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (120, 120) and len(seen) >= 2


def test_warm_start_swaps_a_fresh_job_but_keeps_one_the_visitor_has_trained():
    cache = RunCache()
    controller = JobController()
    controller.configure_job("setup", Counter)
    assert controller.warm_start(cache, 200)
    assert controller.snapshot().step == 200 and controller.setup == "setup"
    controller.step(3)
    assert not controller.warm_start(cache, 200)  # already trained by this visitor: theirs to keep
    assert controller.snapshot().step == 203
    controller.close()


def test_the_cache_forgets_its_oldest_run_beyond_its_size():
    cache = RunCache(max_runs=2)
    for key in ("a", "b", "c"):
        cache.resume(key, Counter(), 10)
    assert "a" not in cache and "b" in cache and "c" in cache


def _toy_run():
    from sae_core.data import load_dataset
    from app_core.live.run import LiveRun
    from sae_core.models import HParams

    return LiveRun(load_dataset("toy"), "relu", 32, HParams(l1=1.0, lr=1e-2, batch_size=128), seed=0)


def test_a_run_kept_in_a_folder_is_trained_once_for_every_process_sharing_it(tmp_path, monkeypatch):
    import torch

    from app_core.live.run import LiveRun

    key = ("scene", 60)
    first = RunCache(directory=tmp_path).resume(key, _toy_run(), 60)
    assert first.steps == 60 and len(list(tmp_path.glob("run-*.pt"))) == 1

    # Another process (a replica, or this server after a restart): a cache of its own over the same folder.
    def no_training(self, n):
        raise AssertionError("the run was trained again")

    monkeypatch.setattr(LiveRun, "train", no_training)
    second = RunCache(directory=tmp_path).resume(key, _toy_run(), 60)
    monkeypatch.undo()
    assert second.steps == 60 and [m.step for m in second.curve] == [m.step for m in first.curve]
    first.train(20)
    second.train(20)  # from the file, the same steps follow
    assert torch.equal(first.trainer.model.W_dec, second.trainer.model.W_dec)


def test_a_damaged_run_file_is_trained_afresh_and_replaced(tmp_path):
    cache = RunCache(directory=tmp_path)
    path = cache.path(("scene", 30))
    tmp_path.mkdir(exist_ok=True)
    path.write_bytes(b"not a saved run")
    run = cache.resume(("scene", 30), _toy_run(), 30)
    assert run.steps == 30
    assert RunCache(directory=tmp_path).resume(("scene", 30), _toy_run(), 30).steps == 30
    assert path.read_bytes() != b"not a saved run"


def test_a_job_that_cannot_save_itself_is_kept_in_memory_only(tmp_path):
    Counter.trained = 0
    assert RunCache(directory=tmp_path).resume("k", Counter(), 50).steps == 50
    assert list(tmp_path.iterdir()) == []


def test_a_cache_folder_that_cannot_be_written_leaves_the_run_in_memory(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    run = RunCache(directory=blocked / "runs").resume(("scene", 20), _toy_run(), 20)
    assert run.steps == 20


def test_a_resumed_run_draws_the_history_it_was_trained_through(tmp_path):
    """A scene resumed at step 1,500 drew its curve as a straight line from step 0: only the first and last points
    were measured. Now a point per chunk, kept in the file too."""
    from app_core.live import run_cache

    steps = 3 * run_cache.TRAIN_CHUNK
    for cache in (RunCache(), RunCache(directory=tmp_path), RunCache(directory=tmp_path)):  # trained, read back
        job = cache.resume(("history", steps), _toy_run(), steps)
        assert [m.step for m in job.curve] == list(range(0, steps + 1, run_cache.TRAIN_CHUNK))
        assert len({m.l0 for m in job.curve}) == len(job.curve)  # measured at each step, not copied
