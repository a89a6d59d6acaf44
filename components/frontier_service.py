"""The frontier store and its background worker, one per server process (see sae_core/training/frontier_worker.py).

`SAE_PLAYGROUND_FRONTIER_WORKER=0` turns the worker off (the test suite does, so that its many app sessions do
not all train frontiers behind the tests' backs); the Frontier page then offers to compute one on request.
"""

from __future__ import annotations

import os

import streamlit as st

from sae_core.data import load_dataset
from sae_core.training.frontier_store import FrontierStore
from sae_core.training.frontier_worker import FrontierWorker

WORKER_ENV = "SAE_PLAYGROUND_FRONTIER_WORKER"


def worker_enabled() -> bool:
    return os.environ.get(WORKER_ENV, "1") != "0"


@st.cache_resource
def frontier_store() -> FrontierStore:
    return FrontierStore()


@st.cache_resource
def _worker() -> FrontierWorker:
    return FrontierWorker(frontier_store(), load_dataset).start()


def frontier_worker() -> FrontierWorker | None:
    """This server's worker, started on first call (app.py calls this after every page it draws, so it starts
    with the server's first page); None where it is turned off."""
    return _worker() if worker_enabled() else None
