"""The language model page's model, SAE and feature index, loaded once per server from the folder the background
trains (app_core/lm_child.py), and the training started on request where background work is off."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from app_core.lm_journal import config_name, read_journal, run_folder
from app_core.lm_worker import LMWorker
from components.background_work import lm_worker


@dataclass
class LoadedLM:
    folder: Path
    lm: object  # sae_core.lm.ByteLM
    sae: object  # sae_core.lm.LMSAE
    index: object  # app_core.lm_browse.BrowseIndex
    meta: dict  # lm.json's facts
    version: str  # changes when the folder's model is replaced: the key of every cached result


@st.cache_resource(show_spinner=False)
def _folder(name: str) -> Path:
    return run_folder(name)


def lm_folder() -> Path:
    """This server's model folder (hashing the configuration imports PyTorch: done once)."""
    return _folder(config_name())


def _version(folder: Path) -> str | None:
    try:
        return str((folder / "browse.json").stat().st_mtime_ns)
    except OSError:
        return None


@st.cache_resource(max_entries=2, show_spinner="Loading the language model and its SAE…")
def _load(folder: str, version: str) -> LoadedLM:
    from app_core.lm_browse import load_browse
    from sae_core.lm import LMSAE, load_lm
    from sae_core.lm.persistence import read_meta
    from sae_core.lm.pipeline import SAE_FOLDER

    lm = load_lm(folder)
    sae = LMSAE.load(Path(folder) / SAE_FOLDER)
    return LoadedLM(Path(folder), lm, sae, load_browse(Path(folder), lm.d_mlp, sae.d_sae), read_meta(folder), version)


def loaded_lm() -> tuple[LoadedLM | None, str | None]:
    """(the ready model, None) or (None, why not: a message for the page, None while it is still training)."""
    folder = lm_folder()
    version = _version(folder)
    if read_journal(folder).stage != "ready" or version is None:
        return None, None
    try:
        return _load(str(folder), version), None
    except Exception as err:  # a damaged folder: said, and trained again; never used
        from app_core.lm_browse import BrowseFileError
        from sae_core.lm import LMFileError

        if not isinstance(err, (LMFileError, BrowseFileError, ValueError, OSError)):
            raise
        (folder / "browse.json").unlink(missing_ok=True)  # the journal then reads "waiting" until retrained
        journal_path = folder / "journal.json"
        journal_path.unlink(missing_ok=True)
        start_training()
        return None, f"The saved model could not be loaded ({err}); it is being trained again."


@st.cache_resource(show_spinner=False)
def _workers() -> dict:
    return {}


def start_training() -> LMWorker:
    """A worker training this server's model, started now unless one is at work (the background's, or an earlier
    request's); a second process for the same folder would find it locked and leave it to the first."""
    background = lm_worker()
    if background is not None and background.alive:
        return background
    holder = _workers()
    worker = holder.get("worker")
    if worker is None or not worker.alive:
        holder["worker"] = worker = LMWorker(start_delay=0.0).start()
    return worker


def training_worker() -> LMWorker | None:
    """The worker at work on this server's model, if any."""
    for worker in (lm_worker(), _workers().get("worker")):
        if worker is not None and worker.alive:
            return worker
    return None
