"""Where computed results are kept between runs: frontiers, warm runs, a trained language model."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "SAE_PLAYGROUND_CACHE"
# In a language model's run folder (sae_core.lm.pipeline): held by whichever process trains it, so one writes.
TRAIN_LOCK = "train.lock"


def default_cache_dir() -> Path:
    """$SAE_PLAYGROUND_CACHE, else `.cache/` in the project folder (ignored by git)."""
    env = os.environ.get(CACHE_ENV)
    return Path(env) if env else Path(__file__).resolve().parents[1] / ".cache"


def lock_file(path: Path):
    """An open handle holding an exclusive lock on `path` (made if missing), or None when another open handle
    holds it (another process's, or another in this one). The lock lasts while the handle is open and goes with its process."""
    import fcntl

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")  # noqa: SIM115 - the caller keeps it open for as long as it needs the lock
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle
