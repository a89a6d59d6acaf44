"""Which background work comes first: the language model waits while visitors train and a frontier lacks its runs."""

from types import SimpleNamespace

import pytest

from app_core.frontier_store import FrontierStore
from sae_core.training.frontier import FrontierPoint
from components import background_work


@pytest.fixture()
def server(tmp_path, monkeypatch):
    store = FrontierStore(tmp_path)
    worker = SimpleNamespace(phase="working", keys=("toy", "digits"), errors={}, runs_done=set())
    scheduler = SimpleNamespace(active=lambda: 0)
    monkeypatch.setattr(background_work, "frontier_worker", lambda: worker)
    monkeypatch.setattr(background_work, "frontier_store", lambda: store)
    monkeypatch.setattr(background_work, "shared_scheduler", lambda: scheduler)
    return SimpleNamespace(store=store, worker=worker, scheduler=scheduler)


POINT = FrontierPoint("relu", "ReLU + L1", "λ 1", 5.0, 0.1, 0.9)


def test_the_lm_waits_only_while_visitors_train_and_a_frontier_lacks_its_runs(server):
    assert not background_work.frontier_runs_first()  # nobody trains: both go on
    server.scheduler.active = lambda: 2
    assert background_work.frontier_runs_first()
    server.store.save("toy", [POINT], partial=True)
    assert background_work.frontier_runs_first()  # the digits' runs still to come
    server.store.save("digits", [POINT])
    assert not background_work.frontier_runs_first()


def test_a_failed_or_finished_frontier_holds_nothing(server):
    server.scheduler.active = lambda: 1
    server.worker.errors = {"toy": "RuntimeError", "digits": "RuntimeError"}
    assert not background_work.frontier_runs_first()
    server.worker.errors = {}
    server.worker.phase = "done"
    assert not background_work.frontier_runs_first()


def test_without_background_work_nothing_holds(server, monkeypatch):
    server.scheduler.active = lambda: 1
    monkeypatch.setattr(background_work, "frontier_worker", lambda: None)
    assert not background_work.frontier_runs_first()
