"""The whole run, step-wise: corpus → LM → activations → SAE, in one folder that is also its cache.

`LMPipeline(folder, config).advance(seconds)` does a slice of work and returns where it stands, so a page
can train it in the background and draw progress between slices; `train_all` runs it to the end. The LM
is checkpointed (safetensors + JSON) every CHECKPOINT_EVERY steps, so a run whose process stopped resumes
where it was; a finished LM and SAE are kept, and a folder already holding this configuration's run is
done at once. A folder holding another configuration's run is trained again from nothing.

Folder: lm.safetensors + lm.json (the LM), checkpoint.* (while the LM trains), sae/ (SAELens format), train.lock
(one trainer per folder: a second finds it held and leaves the folder alone).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from sae_core.models.persistence import CONFIG as SAE_CONFIG
from sae_core.cache import TRAIN_LOCK, default_cache_dir, lock_file
from sae_core.lm import persistence
from sae_core.lm.corpus import DEFAULT_CAP_BYTES, Corpus, load_corpus
from sae_core.lm.model import ByteLM, LMConfig
from sae_core.lm.sae import SAEPlan, sae_trainer, sample_activations, save_lm_sae
from sae_core.lm.trainer import LMHParams, LMTrainer

SAE_FOLDER = "sae"
CHECKPOINT_EVERY = 100
DENSITY_ROWS = 16_384  # rows the saved sparsity.safetensors is measured on
STAGES = ("corpus", "lm", "activations", "sae", "done")


@dataclass(frozen=True)
class RunConfig:
    lm: LMConfig = field(default_factory=LMConfig)
    lm_hp: LMHParams = field(default_factory=LMHParams)
    sae: SAEPlan = field(default_factory=SAEPlan)
    corpus_cap: int = DEFAULT_CAP_BYTES
    seed: int = 0

    def as_dict(self) -> dict:
        return {"lm": self.lm.as_dict(), "lm_hp": self.lm_hp.as_dict(), "sae": asdict(self.sae),
                "corpus_cap": self.corpus_cap, "seed": self.seed}

    def key(self, part: str) -> str:
        """A hash of what decides the LM ("lm") or the LM and its SAE ("sae")."""
        d = self.as_dict()
        if part == "lm":
            d.pop("sae")
        return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Progress:
    stage: str  # one of STAGES
    done: int  # steps done in this stage
    total: int  # steps in this stage
    message: str
    seconds: float  # time spent in advance() so far, this process

    @property
    def finished(self) -> bool:
        return self.stage == "done"


def default_folder(config: RunConfig) -> Path:
    """Where the app keeps this configuration's run: the cache folder's lm/<hash>."""
    return default_cache_dir() / "lm" / config.key("sae")


class LMPipeline:
    def __init__(self, folder: str | Path | None = None, config: RunConfig | None = None):
        self.config = config or RunConfig()
        self.folder = Path(folder) if folder is not None else default_folder(self.config)
        self.corpus: Corpus | None = None
        self.lm: ByteLM | None = None
        self.trainer: LMTrainer | None = None
        self.sae_trainer = None
        self.acts: np.ndarray | None = None
        self.seconds = 0.0
        self.timings: dict[str, float] = {}
        self.stage = "corpus"
        if self._sae_done():
            self.stage = "done"

    # --- what the folder already holds ----------------------------------------------------------------------
    def _lm_done(self) -> bool:
        try:
            return persistence.read_meta(self.folder).get("run_key") == self.config.key("lm")
        except persistence.LMFileError:
            return False

    def _sae_done(self) -> bool:
        cfg = self.folder / SAE_FOLDER / SAE_CONFIG
        if not self._lm_done() or not cfg.exists():
            return False
        try:
            return persistence.read_meta(self.folder).get("sae_key") == self.config.key("sae")
        except persistence.LMFileError:
            return False

    # --- one slice of work ----------------------------------------------------------------------------------
    def advance(self, max_seconds: float = 0.5) -> Progress:
        """Work for about `max_seconds` (at least one step), then report."""
        started = time.perf_counter()
        deadline = started + max_seconds
        while self.stage != "done":
            stage, t0 = self.stage, time.perf_counter()
            getattr(self, f"_do_{stage}")(deadline)
            self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - t0
            if time.perf_counter() >= deadline:
                break
        self.seconds += time.perf_counter() - started
        return self.progress()

    def progress(self) -> Progress:
        c = self.config
        if self.stage == "lm" and self.trainer is not None:
            t = self.trainer
            last = t.history[-1].bits_per_byte if t.history else float("nan")
            return Progress("lm", t.step_count, c.lm_hp.steps, f"LM step {t.step_count:,}/{c.lm_hp.steps:,}, "
                            f"{last:.2f} bits/byte", self.seconds)
        if self.stage == "sae" and self.sae_trainer is not None:
            s = self.sae_trainer
            snap = s.history[-1] if s.history else None
            figures = f", FVE {snap.fve:.3f}, L0 {snap.l0:.1f}" if snap else ""
            return Progress("sae", s.step_count, c.sae.steps, f"SAE step {s.step_count:,}/{c.sae.steps:,}{figures}",
                            self.seconds)
        return Progress(self.stage, 0, 1, {"corpus": "reading the standard library", "lm": "starting the LM",
                                           "activations": "collecting MLP activations", "sae": "starting the SAE",
                                           "done": "done"}[self.stage], self.seconds)

    def _do_corpus(self, deadline: float) -> None:
        self.corpus = load_corpus(self.config.corpus_cap)
        self.stage = "lm"

    def _do_lm(self, deadline: float) -> None:
        c = self.config
        if self._lm_done():
            self.lm = persistence.load_lm(self.folder)
            self.stage = "activations"
            return
        if self.trainer is None:
            self.trainer = LMTrainer(ByteLM(c.lm, seed=c.seed), self.corpus.train_bytes(), c.lm_hp, seed=c.seed)
            saved = None
            try:
                saved = persistence.load_checkpoint(self.folder)
            except persistence.LMFileError:
                saved = None  # a damaged checkpoint: start again rather than fail
            if saved is not None and saved[1].get("run_key") == c.key("lm"):
                self.trainer.load_state(saved[0], saved[1]["trainer"])
        t = self.trainer
        while not t.done:  # at least one chunk per call, however short the slice
            t.step(min(CHECKPOINT_EVERY - t.step_count % CHECKPOINT_EVERY, c.lm_hp.steps - t.step_count, 10))
            if t.step_count % CHECKPOINT_EVERY == 0 and not t.done:
                persistence.save_checkpoint(t, self.folder, {"run_key": c.key("lm")})
            if time.perf_counter() >= deadline:
                break
        if t.done:
            from sae_core.lm.heldout import bits_per_char  # noqa: PLC0415 - only once, at the end of the LM stage

            bpc = bits_per_char(t.model, self.corpus.heldout)
            persistence.save_lm(t.model, self.folder, {
                "run_key": c.key("lm"), "run": c.as_dict(), "corpus": self.corpus.describe(),
                "train_seconds": round(t.seconds, 3), "heldout_bits_per_char": bpc})
            for name in (persistence.CHECKPOINT_WEIGHTS, persistence.CHECKPOINT_CONFIG):
                (self.folder / name).unlink(missing_ok=True)
            self.lm = t.model
            self.stage = "activations"

    def _do_activations(self, deadline: float) -> None:
        c = self.config
        self.acts = sample_activations(self.lm, self.corpus.train_bytes(), c.sae.samples, seed=c.seed)
        self.stage = "sae"

    def _do_sae(self, deadline: float) -> None:
        c = self.config
        if self.sae_trainer is None:
            self.sae_trainer = sae_trainer(self.acts, c.sae, seed=c.seed)
        s = self.sae_trainer
        while s.step_count < c.sae.steps:
            s.step(min(10, c.sae.steps - s.step_count))
            if time.perf_counter() >= deadline:
                break
        if s.step_count >= c.sae.steps:
            save_lm_sae(s, self.folder / SAE_FOLDER, self.acts[:DENSITY_ROWS],
                        extra={"dataset": "byte-level LM MLP activations (sae_core.lm)", "seed": c.seed,
                               "lm_run_key": c.key("lm")})
            meta = persistence.read_meta(self.folder)
            meta.update({"sae_key": c.key("sae"), "sae_train_seconds": round(s.seconds, 3)})
            persistence.save_lm_meta(self.folder, meta)
            self.acts = None
            self.stage = "done"


class FolderBusy(RuntimeError):
    """Another process holds the folder's TRAIN_LOCK: it is training there."""


def train_all(folder: str | Path | None = None, config: RunConfig | None = None,
              progress: Callable[[Progress], None] | None = None, slice_seconds: float = 1.0) -> LMPipeline:
    """Run (or resume, or find finished) the whole pipeline; `progress` is called after every slice. Raises
    FolderBusy, having written nothing, when another process trains the folder."""
    config = config or RunConfig()
    folder = Path(folder) if folder is not None else default_folder(config)
    lock = lock_file(folder / TRAIN_LOCK)
    if lock is None:
        raise FolderBusy(f"another process is training {folder} (it holds {TRAIN_LOCK}); wait for it to end")
    with lock:
        pipe = LMPipeline(folder, config)  # read with the lock held: a trainer that just let go may have finished it
        while True:
            p = pipe.advance(slice_seconds)
            if progress is not None:
                progress(p)
            if p.finished:
                return pipe
