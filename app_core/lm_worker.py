"""A server's thread that has its language model trained from its start: it runs app_core/lm_child.py until the
folder's journal says "ready", and starts it again when the process training the folder (its own, or a replica's
beside it) has stopped before the end."""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path

from app_core.lm_journal import config_name, read_journal, run_folder

_ROOT = Path(__file__).resolve().parents[1]
RETRY_S = 5.0  # while another process holds the folder: how often to look whether it still does
MAX_FAILURES = 3  # a run that keeps failing is reported, not retried for ever
_CHILDREN: set[subprocess.Popen] = set()


@atexit.register
def _end_children() -> None:
    for child in list(_CHILDREN):
        child.terminate()


class LMWorker:
    def __init__(self, folder: Path | None = None, start_delay: float = 2.0):
        self.name = config_name()
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
        child = subprocess.Popen(self.command(), cwd=_ROOT, env=env, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        _CHILDREN.add(child)
        try:
            _, err = child.communicate()
        finally:
            _CHILDREN.discard(child)
        if child.returncode != 0:
            lines = [line for line in (err or "").strip().splitlines() if line.strip()]
            self.last_error = lines[-1] if lines else f"its process ended with status {child.returncode}"
        return child.returncode
