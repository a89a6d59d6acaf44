"""Where computed results are kept between runs: frontiers, warm runs, a trained language model."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "SAE_PLAYGROUND_CACHE"


def default_cache_dir() -> Path:
    """$SAE_PLAYGROUND_CACHE, else `.cache/` in the project folder (ignored by git)."""
    env = os.environ.get(CACHE_ENV)
    return Path(env) if env else Path(__file__).resolve().parents[1] / ".cache"
