"""Train the app's language model and its SAE, then index their features, in a process of its own:
`python -m app_core.lm_child FOLDER [--tiny]`.

A server's background work starts it (components/background_work.py), as it starts the frontier's: one torch thread at
a low priority, on a core the server's interpreter lock leaves idle. One process per folder trains at a time (an
exclusive lock on `train.lock`, the one `python -m sae_core lm train` takes too); a second, from a replica beside
it, exits at once and its server reads the first's journal. It writes the journal (lm_journal.py) after every
slice, a sample of the LM's text every few hundred steps, and stops at its next slice if the server that started it
has gone. A folder whose model cannot be loaded (damaged)
is emptied and trained again: never loaded unsafely.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import traceback
from pathlib import Path

from sae_core.cache import TRAIN_LOCK as LOCK
from sae_core.cache import lock_file

SLICE_S = 1.0  # seconds of work between two journal writes
# Below the frontier child (nice 10): where both want the core the visitors leave, the frontier, promised within
# three minutes of a start, gets about three times the share; an idle core is the language model's either way.
NICE = 15
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _holds_model(folder: Path) -> bool:
    """True when the folder's LM and SAE load; a damaged one is removed, so the pipeline trains it again."""
    from sae_core.lm import LMFileError, LMSAE, load_lm
    from sae_core.lm.pipeline import SAE_FOLDER

    try:
        lm = load_lm(folder)
        sae = LMSAE.load(folder / SAE_FOLDER)
        return sae.d_in == lm.d_mlp
    except (LMFileError, ValueError, OSError, KeyError):
        for name in ("lm.safetensors", "lm.json", "browse.npz", "browse.json"):
            (folder / name).unlink(missing_ok=True)
        shutil.rmtree(folder / SAE_FOLDER, ignore_errors=True)
        return False


def train(folder: Path, name: str = "default", orphaned=lambda: None) -> None:
    """Run the pipeline to its end and build the feature index, writing the journal as it goes."""
    from app_core.lm_browse import BrowseFileError, build_browse, load_browse
    from app_core.lm_journal import (SAMPLE_CHARS, SAMPLE_PROMPT, index_sizes, read_journal, run_config, sample_every,
                                     write_journal)
    from sae_core.lm import LMPipeline, LMSAE, load_corpus, load_lm
    from sae_core.lm.pipeline import SAE_FOLDER

    config = run_config(name)
    journal = read_journal(folder)
    journal.error = None
    pipe = LMPipeline(folder, config)
    if pipe.stage == "done" and not _holds_model(folder):
        pipe = LMPipeline(folder, config)
    every = sample_every(name)
    if pipe.stage != "done" and not (folder / "checkpoint.json").exists():
        journal.curve, journal.samples = [], []  # a run from nothing: an older run's curve is not this one's
    while True:
        orphaned()
        p = pipe.advance(SLICE_S)
        t = pipe.trainer
        if t is not None:
            last = journal.curve[-1][0] if journal.curve else 0
            journal.curve += [[s.step, round(s.bits_per_byte, 4)] for s in t.history if s.step > last]
            sampled = journal.samples[-1]["step"] if journal.samples else -1
            due = t.step_count // every * every
            if due > sampled and (due > 0 or not journal.samples):
                journal.samples.append({"step": t.step_count, "bits": journal.curve[-1][1] if journal.curve else None,
                                        "text": t.model.generate(SAMPLE_PROMPT, SAMPLE_CHARS, 0.8, seed=0)})
        journal.stage, journal.done, journal.total = p.stage, p.done, p.total
        journal.message, journal.seconds = p.message, round(p.seconds, 1)
        write_journal(folder, journal)
        if p.finished:
            break
    lm = load_lm(folder)
    sae = LMSAE.load(folder / SAE_FOLDER)
    try:
        load_browse(folder, lm.d_mlp, sae.d_sae)
    except BrowseFileError:
        def say(what: str) -> None:
            orphaned()
            journal.stage, journal.done, journal.total, journal.message = "browse", 0, 1, what
            write_journal(folder, journal)

        say("indexing every unit's activations")
        browse_chars, analysis_chars = index_sizes(name)
        build_browse(lm, sae, load_corpus(config.corpus_cap).heldout, folder, browse_chars, analysis_chars, say)
    journal.stage, journal.done, journal.total, journal.message = "ready", 1, 1, "ready"
    write_journal(folder, journal)


def _end_with_parent() -> None:
    """Linux: be killed when the server's thread that started this process ends. Its worker may have stopped it
    (app_core/lm_worker.py `hold`), and a stopped process never reaches its own check below, holding the folder's
    lock for ever."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: the check between slices alone


def main(argv: list[str]) -> int:
    folder, tiny = Path(argv[0]), "--tiny" in argv[1:]
    parent = os.getppid()
    _end_with_parent()
    if os.getppid() != parent:  # the server went before the line above
        return 3
    try:
        os.setpriority(os.PRIO_PROCESS, 0, NICE)
    except (OSError, AttributeError):
        pass  # not allowed here: the normal priority
    lock = lock_file(folder / LOCK)  # noqa: F841 - held for the process's life
    if lock is None:
        return 0  # another process trains this folder; its journal says how far it is
    from app_core.lm_journal import read_journal, write_journal

    journal = read_journal(folder)
    journal.stage, journal.done, journal.total, journal.message = "starting", 0, 1, "loading PyTorch"
    write_journal(folder, journal)  # before the imports: seconds on a busy server
    import torch

    torch.set_num_threads(1)  # one core: the server keeps the other
    def orphaned() -> None:
        if os.getppid() != parent:  # the server has gone
            raise SystemExit(3)

    try:
        train(folder, "tiny" if tiny else "default", orphaned)
    except SystemExit:
        raise
    except Exception as err:  # said on the page, and tried again by the next server
        journal = read_journal(folder)
        journal.error = f"{type(err).__name__}: {err}"
        write_journal(folder, journal)
        traceback.print_exc()
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
