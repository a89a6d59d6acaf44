import gc
import threading
import time
import weakref

from app_core.live.job_registry import JobRegistry


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Closable:
    def __init__(self, log: list, name: str, fails: bool = False):
        self.log, self.name, self.fails = log, name, fails

    def close(self) -> None:
        self.log.append(self.name)
        if self.fails:
            raise RuntimeError("will not close")


def test_an_owner_gets_back_what_it_made_and_another_owner_its_own():
    registry = JobRegistry(idle_timeout_s=10)
    made = []
    first = registry.get_or_make("a", "train_controller", lambda: made.append(1) or object())
    again = registry.get_or_make("a", "train_controller", lambda: made.append(1) or object())
    other = registry.get_or_make("b", "train_controller", lambda: made.append(1) or object())
    assert again is first and other is not first and len(made) == 2
    assert registry.get("a", "current_model") is None
    registry.put("a", "current_model", "model")
    assert registry.get("a", "current_model") == "model" and registry.get("b", "current_model") is None


def test_a_disconnected_owner_is_let_go_after_the_timeout_and_its_entries_closed():
    clock, closed = Clock(), []
    registry = JobRegistry(idle_timeout_s=10, clock=clock)
    registry.put("gone", "controller", Closable(closed, "gone"))
    registry.put("gone", "current_model", "no close method")
    registry.put("here", "controller", Closable(closed, "here"))
    registry.disconnected("gone")
    clock.now += 9.9
    assert registry.expire() == [] and closed == []
    clock.now += 0.1
    assert registry.expire() == ["gone"] and closed == ["gone"]
    assert registry.owners() == ["here"] and registry.get("gone", "current_model") is None
    clock.now += 1000
    assert registry.expire() == []  # a connected owner stays, however long


def test_a_reconnect_within_the_timeout_keeps_the_run_and_a_later_drop_starts_the_clock_again():
    clock = Clock()
    registry = JobRegistry(idle_timeout_s=10, clock=clock)
    registry.put("a", "controller", "run")
    registry.disconnected("a")
    clock.now += 8
    registry.connected("a")
    clock.now += 8
    assert registry.expire() == []
    registry.disconnected("a")
    registry.disconnected("a")  # a second page's release does not restart the clock
    clock.now += 5
    registry.disconnected("a")
    clock.now += 5
    assert registry.expire() == ["a"]


def test_an_entry_that_will_not_close_does_not_keep_the_others():
    clock, closed = Clock(), []
    registry = JobRegistry(idle_timeout_s=1, clock=clock)
    registry.put("a", "first", Closable(closed, "first", fails=True))
    registry.put("a", "second", Closable(closed, "second"))
    registry.disconnected("a")
    clock.now += 1
    assert registry.expire() == ["a"] and sorted(closed) == ["first", "second"]


def test_the_registry_lets_go_by_its_own_clock_without_anyone_asking():
    class Heavy:  # stands for a model and its optimiser
        pass

    registry = JobRegistry(idle_timeout_s=0.05, sweep_every_s=0.02)
    heavy = Heavy()
    alive = weakref.ref(heavy)
    registry.put("a", "controller", heavy)
    del heavy
    registry.disconnected("a")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and registry.owners():
        time.sleep(0.02)
    gc.collect()
    assert registry.owners() == [] and alive() is None


def test_an_entry_is_made_once_when_two_threads_ask_together():
    registry = JobRegistry(idle_timeout_s=10)
    made, results = [], []
    start = threading.Barrier(8)

    def ask() -> None:
        start.wait()
        results.append(registry.get_or_make("a", "c", lambda: made.append(1) or object()))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 1 and len({id(r) for r in results}) == 1
