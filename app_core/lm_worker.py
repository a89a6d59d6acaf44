"""A server's thread that has its language model trained from its start: it runs app_core/lm_child.py until the
folder's journal says "ready", and starts it again when the process training the folder (its own, or a replica's
beside it) has stopped before the end. While `hold()` says so (the frontier, promised within three minutes, still
wants the core the visitors leave) its process is stopped and then continued: a lower priority alone still left it a
quarter of that core (BENCHMARKS.md, "Frontiers on a fresh server")."""

from __future__ import annotations

import atexit
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path
from typing import Callable

from app_core.lm_journal import config_name, read_journal, run_folder, write_journal

_ROOT = Path(__file__).resolve().parents[1]
RETRY_S = 5.0  # while another process holds the folder: how often to look whether it still does
MAX_FAILURES = 3  # a run that keeps failing is reported, not retried for ever
HOLD_POLL_S = 1.0  # how often a running process's hold is looked at
HELD_NOTE_S = 10.0  # while held, the journal is rewritten this often: a reader must not take it for a dead process
HELD_MESSAGE = "paused while visitors train: the Frontier's runs come first (a few minutes at most)"
_CHILDREN: set[subprocess.Popen] = set()


@atexit.register
def _end_children() -> None:
    for child in list(_CHILDREN):
        child.terminate()
        child.send_signal(signal.SIGCONT)  # a stopped process acts on the termination only once continued


class LMWorker:
    def __init__(self, folder: Path | None = None, start_delay: float = 2.0,
                 hold: Callable[[], bool] | None = None):
        """`hold()`: True while the process is to wait (it is stopped, then continued); None: it never waits."""
        self.name = config_name()
        self.hold = hold
        self.held = False  # its process is stopped now, for the page to say so
        self.folder = folder  # None: this configuration's folder, found in the thread (it imports PyTorch)
        self.start_delay = start_delay
        self.failures = 0
        self.last_error: str | None = None
        self._thread = threading.Thread(target=self._work, name="lm-worker", daemon=True)

    def start(self) -> "LMWorker":
        self._thread.start()
        return self

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def command(self) -> list[str]:
        return [sys.executable, "-m", "app_core.lm_child", str(self.folder), *(["--tiny"] if self.name == "tiny" else [])]

    def _work(self) -> None:
        time.sleep(self.start_delay)  # the first page is drawn before PyTorch loads beside it
        if self.folder is None:
            self.folder = run_folder(self.name)
        while read_journal(self.folder).stage != "ready" and self.failures < MAX_FAILURES:
            try:
                started = time.monotonic()
                code = self._run_child()
                if code != 0:
                    self.failures += 1
                elif time.monotonic() - started < RETRY_S:  # another process holds the folder: look again later
                    time.sleep(RETRY_S)
            except OSError:
                traceback.print_exc()
                self.failures += 1
                time.sleep(RETRY_S)

    def _run_child(self) -> int:
        env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
        with tempfile.TemporaryFile(mode="w+") as errors:  # a file, not a pipe: nobody reads it while it runs
            child = subprocess.Popen(self.command(), cwd=_ROOT, env=env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=errors, text=True)
            _CHILDREN.add(child)
            try:
                self._wait_holding(child)
            finally:
                _CHILDREN.discard(child)
                self._set_held(child, False)
            errors.seek(0)
            err = errors.read()
        if child.returncode != 0:
            lines = [line for line in (err or "").strip().splitlines() if line.strip()]
            self.last_error = lines[-1] if lines else f"its process ended with status {child.returncode}"
        return child.returncode

    def _wait_holding(self, child: subprocess.Popen) -> None:
        noted = 0.0
        while True:
            try:
                child.wait(HOLD_POLL_S)
                return
            except subprocess.TimeoutExpired:
                pass
            try:
                wanted = bool(self.hold and self.hold())
            except Exception:  # a hold that fails must not leave the model untrained
                traceback.print_exc()
                wanted = False
            self._set_held(child, wanted)
            if self.held and time.monotonic() - noted >= HELD_NOTE_S:
                self._note_held()
                noted = time.monotonic()

    def _set_held(self, child: subprocess.Popen, held: bool) -> None:
        if held == self.held:
            return
        if child.poll() is None:
            child.send_signal(signal.SIGSTOP if held else signal.SIGCONT)
        self.held = held

    def _note_held(self) -> None:
        """Say in the journal why it does not advance (the stopped process cannot write it)."""
        journal = read_journal(self.folder)
        if journal.stage not in ("ready", "waiting"):
            journal.message = HELD_MESSAGE
            write_journal(self.folder, journal)
