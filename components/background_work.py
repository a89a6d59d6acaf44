"""What a server computes in the background from its first page, so no visitor waits for it: PyTorch loaded,
every built-in dataset's frontier (kept on disk, see app_core/frontier_worker.py) and the runs scenes
resume (see app_core/talk/prewarm.py). app.py starts them after drawing a page, so a server's first paint does
not wait.

`SAE_PLAYGROUND_BACKGROUND=0` turns them off (the test suite does, so that its many app sessions do not train
behind the tests' backs); the Frontier page then offers to compute a frontier on request, and a scene trains its
run when first shown.
"""

from __future__ import annotations

import os
import threading
import time
import traceback

import streamlit as st

from app_core.live import RunCache
from app_core.live.background import background_share, shared_scheduler
from app_core.frontier_store import FrontierStore, default_cache_dir
from app_core.frontier_worker import FrontierWorker, lower_this_threads_priority
from app_core.lm_worker import LMWorker

BACKGROUND_ENV = "SAE_PLAYGROUND_BACKGROUND"
START_DELAY_S = 2.0  # after a server's first page: its first paint does not share the cores with PyTorch loading
LIBRARY_DELAY_S = 0.5  # the first page's last messages are on their way by then


def background_enabled() -> bool:
    return os.environ.get(BACKGROUND_ENV, "1") != "0"


@st.cache_resource
def frontier_store() -> FrontierStore:
    return FrontierStore()


@st.cache_resource
def scene_runs() -> RunCache:
    """Runs trained ahead for scenes, shared by every visitor of this server and, through the cache folder, by
    every replica beside it and the server after a restart."""
    return RunCache(directory=default_cache_dir() / "runs")


@st.cache_resource
def _worker() -> FrontierWorker:
    # In a process of its own: beside visitors it uses a core this process's interpreter lock leaves idle.
    return FrontierWorker(frontier_store(), _load_dataset, start_delay=START_DELAY_S, share=background_share(),
                          in_child=True).start()


@st.cache_resource
def _scene_prewarm() -> threading.Thread:
    cache = scene_runs()  # read here, on the script's thread: the background thread has no Streamlit context

    def work() -> None:
        time.sleep(START_DELAY_S)
        try:
            # Imported at the normal priority (torch: a visitor's page may be waiting on the same import), then
            # the thread lowers its own.
            from app_core.talk.prewarm import prewarm_scene_runs
            import app_core.live.run  # noqa: F401
        except Exception:
            traceback.print_exc()
            return
        lower_this_threads_priority()
        share = background_share()
        try:
            prewarm_scene_runs(cache, _load_dataset, pause=share.pause)
        except Exception:  # a scene then trains its run when first shown, as without this thread
            traceback.print_exc()
        finally:
            share.release()

    thread = threading.Thread(target=work, name="scene-prewarm", daemon=True)
    thread.start()
    return thread


@st.cache_resource
def _library_warmup() -> threading.Thread:
    """Load PyTorch and the live-training code once, soon after a server's first page (1.6–2.0 s on 2 cores), and
    encode one PNG and build one Plotly heatmap as a live page's redraw does (0.2 s), so that the first visitor
    to press Play does not wait for them. At the normal priority: a visitor's page that needs them meanwhile
    waits on this same import."""

    def work() -> None:
        time.sleep(LIBRARY_DELAY_S)
        try:
            import app_core.live.pair  # noqa: F401  (torch, the models and the trainer)
            from app_core.figures.warmup import warm_up_drawing

            warm_up_drawing()  # the live pages' first redraw: PNG encoding and Plotly's heatmap, 0.2 s
        except Exception:  # a page then loads what it needs itself, as without this thread
            traceback.print_exc()

    thread = threading.Thread(target=work, name="library-warmup", daemon=True)
    thread.start()
    return thread


@st.cache_resource
def _lm_worker() -> LMWorker:
    # The language model's page: its LM and SAE trained in a process of its own (app_core/lm_child.py).
    return LMWorker(start_delay=START_DELAY_S, hold=frontier_runs_first).start()


def frontier_runs_first() -> bool:
    """True while visitors train and a built-in dataset's frontier still lacks its SAE runs: the core the visitors
    leave is the frontier's then (shown within three minutes of a start), and the language model waits."""
    worker = frontier_worker()
    if worker is None or worker.phase == "done" or not shared_scheduler().active():
        return False
    store = frontier_store()
    # Asked every second: the runs this server's worker has done are not read from disk again.
    return any(key not in worker.runs_done and store.load(key) is None and store.load(key, partial=True) is None
               for key in worker.keys if key not in worker.errors)


def lm_worker() -> LMWorker | None:
    """This server's language-model worker; None where background work is off."""
    return _lm_worker() if background_enabled() else None


def frontier_worker() -> FrontierWorker | None:
    """This server's frontier worker; None where background work is off."""
    return _worker() if background_enabled() else None


def start_background_work() -> None:
    """Called by app.py after every page it draws: the first call starts the work, later ones cost nothing."""
    if background_enabled():
        _library_warmup()
        _worker()
        _scene_prewarm()
        _lm_worker()


def _load_dataset(key: str):
    from sae_core.data import load_dataset  # numpy: on a background thread, not before a page's first paint

    return load_dataset(key)
