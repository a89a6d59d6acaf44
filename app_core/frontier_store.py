"""Frontiers kept on disk: computed once per server (or per replica set sharing the folder), kept across restarts.

One JSON file per dataset, named by a fingerprint of everything that decides the result (the sweep, the model
size, the epochs), so a changed sweep is computed afresh rather than read stale. JSON, not pickle: a file in the
cache folder is read as data and checked, never executed. A process computing a frontier holds an exclusive lock
on a file beside it, so replicas sharing the folder compute each frontier once; its progress is written next to
it for any process to show.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import math
import os
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sae_core.cache import CACHE_ENV, default_cache_dir  # noqa: F401 - where the app's callers find them


# dataset → (latents, epochs): small enough that all three sweep in a few minutes of one core
SETUPS = {"toy": (64, 10.0), "digits": (64, 30.0), "mnist": (128, 6.0)}
FORMAT = 1
MAX_FILE_BYTES = 1_000_000  # a frontier is a few dozen points; anything bigger is not one of ours


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    what: str
    updated: float  # time.time() of the last report: a stale one means its process died
    sharing: int = 0  # visitors' runs the computation takes turns with (0: the machine to itself)

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 0.0


class FrontierStore:
    def __init__(self, directory: Path | None = None):
        self.directory = Path(directory) if directory is not None else default_cache_dir()

    def _stem(self, key: str) -> str:
        return f"frontier-{key}-{_fingerprint(key)}"

    def path(self, key: str, partial: bool = False) -> Path:
        return self.directory / f"{self._stem(key)}{'.partial' if partial else ''}.json"

    # --- results ---------------------------------------------------------------------------------
    def load(self, key: str, partial: bool = False) -> list | None:
        """The stored frontier of `key`, or None when there is none or the file is not a valid one. `partial`:
        the points its computation has saved so far (the SAE runs, before dictionary learning), for the page to
        show while the rest is computed."""
        path = self.path(key, partial)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                return None
            raw = json.loads(path.read_text(encoding="utf-8"))
            points = [point for point in map(_point, raw["points"]) if _finite(point)]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return points if points else None

    def save(self, key: str, points: list, partial: bool = False) -> None:
        """Write atomically: a reader sees the old file or the whole new one, never half of it. The whole
        frontier replaces any partial one."""
        self.directory.mkdir(parents=True, exist_ok=True)
        _write_atomic(self.path(key, partial), {"format": FORMAT, "dataset": key,
                                                "points": [p.as_dict() for p in points if _finite(p)]})
        if not partial:
            self.path(key, partial=True).unlink(missing_ok=True)

    # --- who computes, and how far they are --------------------------------------------------------
    @contextmanager
    def computing(self, key: str, wait: bool = False):
        """Hold the right to compute `key` (yields True), or learn another process holds it (yields False);
        with `wait`, block until that process is done (or dead: the lock goes with it), then hold it."""
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.directory / f"{self._stem(key)}.lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def report(self, key: str, done: int, total: int, what: str, sharing: int = 0) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        _write_atomic(self.directory / f"{self._stem(key)}.progress.json",
                      {"done": done, "total": total, "what": what, "updated": time.time(), "sharing": sharing})

    def progress(self, key: str) -> Progress | None:
        try:
            raw = json.loads((self.directory / f"{self._stem(key)}.progress.json").read_text(encoding="utf-8"))
            return Progress(int(raw["done"]), int(raw["total"]), str(raw["what"])[:200], float(raw["updated"]),
                            max(0, int(raw.get("sharing", 0))))
        except (OSError, ValueError, KeyError, TypeError):
            return None


@functools.cache
def _fingerprint(key: str) -> str:
    # The sweep is declared by each architecture's file, which imports torch: read it only when a frontier is
    # looked up (the Frontier page and the worker load torch anyway), never at import.
    from sae_core.models import spec_of
    from sae_core.training.frontier import DICTIONARY_NONZEROS, SETTINGS

    latents, epochs = SETUPS[key]
    # Each architecture's optimiser defaults too: a frontier trained with other ones is another frontier.
    optimiser = {k: [spec_of(k).learning_rate, spec_of(k).adam_beta2] for k in SETTINGS}
    recipe = json.dumps([FORMAT, key, latents, epochs, {k: [n, list(v)] for k, (n, v) in SETTINGS.items()},
                         DICTIONARY_NONZEROS, optimiser], sort_keys=True)
    return hashlib.sha256(recipe.encode()).hexdigest()[:12]


def _point(item: dict):
    from sae_core.training.frontier import FrontierPoint

    return FrontierPoint(str(item["method"]), str(item["label"]), str(item["setting"]), float(item["l0"]),
                         float(item["mse"]), float(item["fve"]))


def _finite(point) -> bool:
    """A run that diverged has no place on the chart (and NaN is not JSON)."""
    return all(math.isfinite(v) for v in (point.l0, point.mse, point.fve))


def _write_atomic(path: Path, payload: dict) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(payload, f)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
