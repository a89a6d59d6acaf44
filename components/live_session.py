"""Streamlit glue for every page that trains: this session's controller per page, paused when its browser goes,
and what to say about the share of the machine it gets.

The controllers (and so the models, optimisers and histories they train) live in the app's job registry
(app_core/live/job_registry.py) under the session's owner id; session state keeps only that id. The registry lets go of
an owner's entries once its browser has been gone for the disconnected-session TTL, whatever Streamlit does with
the session itself.
"""

from __future__ import annotations

import threading
import uuid
import weakref
from typing import Callable, TypeVar

import streamlit as st

from app_core.live import JobController
from app_core.live.job_registry import JobRegistry

C = TypeVar("C", bound=JobController)

_registry: list[JobRegistry] = []
_registry_lock = threading.Lock()


def job_registry() -> JobRegistry:
    """The process's registry; a reconnect finds its run for as long as Streamlit keeps its session."""
    with _registry_lock:
        if not _registry:
            _registry.append(JobRegistry(idle_timeout_s=float(st.get_option("server.disconnectedSessionTTL"))))
        return _registry[0]


class _Lease:
    """Marks its owner connected while this session's resources live; Streamlit releases them when the browser goes."""

    def __init__(self, owner: str):
        self.owner = owner
        job_registry().connected(owner)

    def release(self) -> None:
        job_registry().disconnected(self.owner)


@st.cache_resource(scope="session", on_release=_Lease.release, show_spinner=False)
def _lease(owner: str) -> _Lease:
    return _Lease(owner)


def owner_id() -> str:
    """This session's key in the job registry (a small string: all that session state holds of its runs)."""
    if "owner_id" not in st.session_state:
        st.session_state["owner_id"] = uuid.uuid4().hex
    owner = st.session_state["owner_id"]
    _lease(owner)
    return owner


class _DisconnectGuard:
    """Pauses a controller when its browser goes away. Streamlit releases session-scoped resources on every
    websocket drop, while the session itself waits for a reconnect: so the run stays (in the job registry) and
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


def job_controller(page: str, kind: Callable[..., C] = JobController) -> C:
    """This session's controller for `page` (a `kind`), kept in the job registry as `<page>_controller` so a
    dropped and restored connection finds its job again."""
    owner = owner_id()
    controller = job_registry().get_or_make(owner, f"{page}_controller", lambda: kind(owner=f"{owner}:{page}"))
    _guard(page, owner, controller)
    return controller


def share_message(rate: float | None, training_now: int, period: float | None = None,
                  asked: float | None = None) -> str | None:
    """What a visitor's run gets of the machine, said honestly once others train too (None when alone), and
    how often the page redraws when a busy server has slowed that down."""
    if training_now <= 1 or rate is None:
        return None
    message = f"{rate:,.0f} steps/s — {training_now} runs are training on this server now, taking turns."
    if period and asked and period > asked:
        message += f" The page redraws every {period:g} s instead of {asked:g} s while the server is this busy."
    return message
