"""Streamlit glue shared by the SAE pages: cached data, the training-slot cap, the current model."""

from __future__ import annotations

import os
import threading
import uuid

import streamlit as st

from sae_core.background import BackgroundRunner
from sae_core.data import Dataset, ToyConfig, load_dataset
from sae_core.live import LiveRun, TrainedModel
from sae_core.slots import TrainingSlots

CURRENT_MODEL = "current_model"
DATASET_LABELS = {"toy": "Toy features (ground truth known)", "mnist": "MNIST-5k digits", "digits": "8×8 digits"}


@st.cache_resource(show_spinner="Loading data…")
def shared_dataset(spec: str, toy: ToyConfig | None = None) -> Dataset:
    """Datasets are read-only and shared by every visitor (loaded once per server)."""
    return load_dataset(spec, toy=toy)


@st.cache_resource
def training_slots() -> TrainingSlots:
    """At most one training per core at a time; later visitors queue (see sae_core.slots)."""
    return TrainingSlots(capacity=max(1, (os.cpu_count() or 2)))


@st.cache_resource
def frontier_store() -> dict:
    """Frontiers computed on the Frontier page, shared by every visitor and page (dataset → points)."""
    return {"results": {}, "busy": set(), "lock": threading.Lock()}


def owner_id() -> str:
    if "owner_id" not in st.session_state:
        st.session_state["owner_id"] = uuid.uuid4().hex
    return st.session_state["owner_id"]


def take_slot() -> bool:
    """True when this session may train now; otherwise a visible queue message is shown."""
    slots = training_slots()
    if slots.acquire(owner_id()):
        return True
    ahead = max(0, slots.position(owner_id()) - 1)
    st.info(f"The machine is busy training for {slots.capacity} other visitors. "
            f"You are next in line{f' after {ahead} more' if ahead else ''}; training starts by itself.",
            icon=":material/hourglass_top:")
    return False


def give_back_slot() -> None:
    training_slots().release(owner_id())


def set_current_model(model: TrainedModel) -> None:
    st.session_state[CURRENT_MODEL] = model
    st.session_state["current_model_version"] = st.session_state.get("current_model_version", 0) + 1


def current_model() -> TrainedModel | None:
    return st.session_state.get(CURRENT_MODEL)


def runner_for(key: str, run: LiveRun) -> BackgroundRunner:
    """The session's runner under `key`, now training `run` (paused); made on first use.

    A runner keeps its thread across resets, so Reset never leaves an old thread waiting beside a new one.
    """
    runner = st.session_state.get(key)
    if runner is None:
        runner = st.session_state[key] = BackgroundRunner(run)
    else:
        runner.replace_run(run)
    return runner
