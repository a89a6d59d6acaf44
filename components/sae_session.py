"""Streamlit glue shared by the SAE pages: cached data, each page's live-training controller, the current model."""

from __future__ import annotations

import os
import threading
import uuid
import weakref

import streamlit as st

from sae_core.data import Dataset, ToyConfig, load_dataset
from sae_core.live import LiveController, TrainedModel
from sae_core.live.slots import TrainingSlots

CURRENT_MODEL = "current_model"


@st.cache_resource(show_spinner="Loading data…")
def shared_dataset(spec: str, toy: ToyConfig | None = None) -> Dataset:
    """Datasets are read-only and shared by every visitor (loaded once per server)."""
    return load_dataset(spec, toy=toy)


@st.cache_resource
def training_slots() -> TrainingSlots:
    """At most one training per core at a time; later visitors queue (see sae_core.live.slots)."""
    return TrainingSlots(capacity=max(1, (os.cpu_count() or 2)))


@st.cache_resource
def frontier_store() -> dict:
    """Frontiers computed on the Frontier page, shared by every visitor and page (dataset → points)."""
    return {"results": {}, "busy": set(), "lock": threading.Lock()}


def _owner_id() -> str:
    if "owner_id" not in st.session_state:
        st.session_state["owner_id"] = uuid.uuid4().hex
    return st.session_state["owner_id"]


class _DisconnectGuard:
    """Pauses a controller when its browser goes away. Streamlit releases session-scoped resources on every
    websocket drop, while the session itself waits for a reconnect: so the run stays (in session state) and
    only its training stops and its slot is given back; the thread ends after its idle timeout."""

    def __init__(self, controller: LiveController):
        self.controller = weakref.ref(controller)

    def release(self) -> None:
        controller = self.controller()
        if controller is not None:
            controller.release()


@st.cache_resource(scope="session", on_release=_DisconnectGuard.release, show_spinner=False)
def _guard(page: str, owner: str, _controller: LiveController) -> _DisconnectGuard:
    return _DisconnectGuard(_controller)


def live_controller(page: str) -> LiveController:
    """This session's controller for `page`, kept in session state as `<page>_controller` so a dropped and
    restored connection finds its run again."""
    key = f"{page}_controller"
    if key not in st.session_state:
        st.session_state[key] = LiveController(training_slots(), owner=f"{_owner_id()}:{page}")
    _guard(page, _owner_id(), st.session_state[key])
    return st.session_state[key]


def queue_message(position: int, capacity: int) -> str:
    ahead = max(0, position - 1)
    return (f"The machine is busy training for {capacity} other visitor{'s' if capacity != 1 else ''}. "
            f"You are next in line{f' after {ahead} more' if ahead else ''}; training starts by itself.")


def set_current_model(model: TrainedModel) -> None:
    st.session_state[CURRENT_MODEL] = model
    st.session_state["current_model_version"] = st.session_state.get("current_model_version", 0) + 1


def current_model() -> TrainedModel | None:
    return st.session_state.get(CURRENT_MODEL)


def current_model_version() -> int:
    return st.session_state.get("current_model_version", 0)
