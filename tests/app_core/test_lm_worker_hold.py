"""The LM's background process waits while the frontier's runs come first: stopped and continued by its worker,
the journal saying why, and never left stopped behind a server that has gone."""

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from app_core import lm_worker as worker_module
from app_core.lm_journal import Journal, read_journal, write_journal
from app_core.lm_worker import HELD_MESSAGE, LMWorker

pytestmark = pytest.mark.slow  # starts processes and waits on them

ROOT = Path(__file__).resolve().parents[2]
# Counts into a file, a line every 20 ms, for `seconds`: how far it got says whether it was stopped.
COUNTER = "import sys, time\nend = time.time() + float(sys.argv[2])\nwith open(sys.argv[1], 'a') as f:\n" \
          "    while time.time() < end:\n        f.write('.'); f.flush(); time.sleep(0.02)\n"


class Counting(LMWorker):
    def __init__(self, folder: Path, seconds: float, hold):
        super().__init__(folder=folder, start_delay=0.0, hold=hold)
        self.seconds = seconds

    def command(self):
        return [sys.executable, "-c", COUNTER, str(self.folder / "count"), str(self.seconds)]


def count(folder: Path) -> int:
    path = folder / "count"
    return len(path.read_text()) if path.exists() else 0


def test_a_held_process_stops_advancing_and_goes_on_when_released(tmp_path, monkeypatch):
    monkeypatch.setattr(worker_module, "HOLD_POLL_S", 0.1)
    holding = threading.Event()
    worker = Counting(tmp_path, seconds=2.5, hold=holding.is_set)
    runner = threading.Thread(target=worker._run_child)
    runner.start()
    time.sleep(0.5)
    assert count(tmp_path) > 5  # running
    holding.set()
    time.sleep(0.4)
    assert worker.held
    frozen = count(tmp_path)
    time.sleep(0.8)
    assert count(tmp_path) == frozen  # stopped: not one more line
    holding.clear()
    time.sleep(0.4)
    assert not worker.held and count(tmp_path) > frozen
    runner.join(10)
    assert not runner.is_alive()


def test_while_held_the_journal_says_why_and_stays_fresh(tmp_path, monkeypatch):
    monkeypatch.setattr(worker_module, "HOLD_POLL_S", 0.1)
    monkeypatch.setattr(worker_module, "HELD_NOTE_S", 0.2)
    journal = Journal(stage="lm", done=10, total=100, message="training the language model")
    write_journal(tmp_path, journal)
    written = read_journal(tmp_path).updated
    released = time.monotonic() + 1.0
    worker = Counting(tmp_path, seconds=1.5, hold=lambda: time.monotonic() < released)
    worker._run_child()
    after = read_journal(tmp_path)
    assert after.message == HELD_MESSAGE and after.updated > written and after.stage == "lm"


def test_a_hold_that_fails_lets_the_process_run(tmp_path, monkeypatch):
    monkeypatch.setattr(worker_module, "HOLD_POLL_S", 0.1)

    def broken():
        raise RuntimeError("no store")

    worker = Counting(tmp_path, seconds=0.6, hold=broken)
    assert worker._run_child() == 0 and not worker.held and count(tmp_path) > 10


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_a_stopped_lm_process_dies_with_its_server(tmp_path):
    """A server killed outright (no atexit) leaves no stopped process holding the folder's lock."""
    server = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from pathlib import Path
        from app_core.lm_worker import LMWorker
        worker = LMWorker(folder=Path({str(tmp_path)!r}), start_delay=0.0, hold=lambda: True)
        worker.start()
        time.sleep(600)
    """)
    parent = subprocess.Popen([sys.executable, "-c", server], cwd=ROOT)
    try:
        child = _wait_for_child(parent.pid)
        assert child is not None, "the worker started no process"
        _wait_for(lambda: _state(child) == "T")  # held: stopped
        parent.kill()
        parent.wait(10)
        _wait_for(lambda: _state(child) in (None, "Z"))
    finally:
        parent.kill()


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(x) for x in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def _wait_for_child(pid: int) -> int | None:
    end = time.time() + 60
    while time.time() < end:
        kids = _children(pid)
        if kids:
            return kids[0]
        time.sleep(0.1)
    return None


def _state(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


def _wait_for(condition, seconds: float = 30.0) -> None:
    end = time.time() + seconds
    while time.time() < end:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")
