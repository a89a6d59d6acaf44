"""Streamlit glue for every page that trains: this session's controller per page, its share of the machine,
and what to say while it waits."""

from __future__ import annotations

import os
import uuid
import weakref
from typing import Callable, TypeVar

import streamlit as st

from sae_core.live import JobController
from sae_core.live.slots import TrainingSlots

C = TypeVar("C", bound=JobController)


@st.cache_resource
def training_slots() -> TrainingSlots:
    """At most one training per core at a time; later visitors queue (see sae_core.live.slots)."""
    return TrainingSlots(capacity=max(1, (os.cpu_count() or 2)))


def _owner_id() -> str:
    if "owner_id" not in st.session_state:
        st.session_state["owner_id"] = uuid.uuid4().hex
    return st.session_state["owner_id"]


class _DisconnectGuard:
    """Pauses a controller when its browser goes away. Streamlit releases session-scoped resources on every
    websocket drop, while the session itself waits for a reconnect: so the run stays (in session state) and
    only its training stops and its slot is given back; the thread ends after its idle timeout."""

    def __init__(self, controller: JobController):
        self.controller = weakref.ref(controller)

    def release(self) -> None:
        controller = self.controller()
        if controller is not None:
            controller.release()


@st.cache_resource(scope="session", on_release=_DisconnectGuard.release, show_spinner=False)
def _guard(page: str, owner: str, _controller: JobController) -> _DisconnectGuard:
    return _DisconnectGuard(_controller)


def job_controller(page: str, kind: Callable[..., C] = JobController, share_machine: bool = True) -> C:
    """This session's controller for `page` (a `kind`), kept in session state as `<page>_controller` so a
    dropped and restored connection finds its job again. `share_machine`: whether its job waits for a
    training slot; a tiny numpy job (a 1-D fit, the toy model) need not queue behind SAE training."""
    key = f"{page}_controller"
    if key not in st.session_state:
        st.session_state[key] = kind(training_slots() if share_machine else None, owner=f"{_owner_id()}:{page}")
    _guard(page, _owner_id(), st.session_state[key])
    return st.session_state[key]


def queue_message(position: int, capacity: int) -> str:
    ahead = max(0, position - 1)
    return (f"The machine is busy training for {capacity} other visitor{'s' if capacity != 1 else ''}. "
            f"You are next in line{f' after {ahead} more' if ahead else ''}; training starts by itself.")
