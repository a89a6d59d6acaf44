"""The language model the app shows: which configuration, where it is kept, and its journal.

A server trains it in the background (app_core/lm_child.py) into `run_folder()`, the cache folder shared by every
replica and kept over restarts. The process training it writes `journal.json` beside the model after every slice:
the stage and how far it is, the LM's training curve and a sample of its text every SAMPLE_EVERY steps, so every
replica's page tells an early visitor truthfully what is being trained and how far, and later draws the curve.

`SAE_PLAYGROUND_LM=tiny` picks a configuration that trains in seconds (the tests use it).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

LM_ENV = "SAE_PLAYGROUND_LM"
JOURNAL = "journal.json"
SAMPLE_EVERY = 100  # LM steps between two samples of its text
TINY_SAMPLE_EVERY = 50
SAMPLE_CHARS = 160
SAMPLE_PROMPT = "def "
STALE_S = 60.0  # a journal not written for this long belongs to a process that has stopped


def config_name() -> str:
    """"tiny" under SAE_PLAYGROUND_LM=tiny (trains in seconds: the tests), else "default"."""
    return "tiny" if os.environ.get(LM_ENV) == "tiny" else "default"


def run_config(name: str | None = None):
    """The RunConfig of `name` (this server's when None). Imports PyTorch: not before a first paint."""
    from sae_core.lm.model import LMConfig
    from sae_core.lm.pipeline import RunConfig
    from sae_core.lm.sae import SAEPlan
    from sae_core.lm.trainer import LMHParams

    if (name or config_name()) == "tiny":
        return RunConfig(lm=LMConfig(d_model=32, n_heads=2, d_mlp=64, n_layers=1, context=32),
                         lm_hp=LMHParams(steps=150, batch_size=8, warmup=10),
                         sae=SAEPlan(arch="topk", latents=128, steps=60, batch_size=256, samples=4096),
                         corpus_cap=60_000)
    return RunConfig()


def index_sizes(name: str) -> tuple[int, int | None]:
    """(held-out characters a pick reads, characters purity is measured on; None: analyse's default)."""
    return (5_000, 20_000) if name == "tiny" else (30_000, None)


def sample_every(name: str) -> int:
    return TINY_SAMPLE_EVERY if name == "tiny" else SAMPLE_EVERY


def run_folder(name: str | None = None) -> Path:
    """Where this configuration's run is kept: the cache folder's lm/<its hash>."""
    from sae_core.lm.pipeline import default_folder

    return default_folder(run_config(name))


@dataclass
class Journal:
    stage: str = "waiting"  # "waiting" (no process has started), then the pipeline's STAGES, "browse", "ready"
    done: int = 0
    total: int = 1
    message: str = "not started"
    seconds: float = 0.0
    updated: float = 0.0  # time.time() of the last write
    curve: list[list[float]] = field(default_factory=list)  # [[LM step, bits per byte of that batch], ...]
    samples: list[dict] = field(default_factory=list)  # [{"step", "bits", "text"}]: the LM's text as it learns
    error: str | None = None

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total > 0 else 0.0

    def stale(self, now: float | None = None) -> bool:
        return self.stage not in ("ready", "waiting") and (now or time.time()) - self.updated > STALE_S

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("stage", "done", "total", "message", "seconds", "updated", "curve",
                                              "samples", "error")}


def read_journal(folder: Path) -> Journal:
    """The journal in `folder`; a fresh one where there is none or it cannot be read (it is rewritten soon)."""
    try:
        raw = json.loads((folder / JOURNAL).read_text(encoding="utf-8"))
        j = Journal(**{k: raw[k] for k in Journal().as_dict() if k in raw})
        if not isinstance(j.curve, list) or not isinstance(j.samples, list):
            return Journal()
        return j
    except (OSError, ValueError, TypeError):
        return Journal()


def write_journal(folder: Path, journal: Journal) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    journal.updated = time.time()
    tmp = folder / f".{JOURNAL}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(journal.as_dict()), encoding="utf-8")
    os.replace(tmp, folder / JOURNAL)  # atomic: a reader never sees half a file
