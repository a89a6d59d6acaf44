"""Streamlit glue for every page that trains: this session's controller per page, paused when its browser goes,
and what to say about the share of the machine it gets."""

from __future__ import annotations

import uuid
import weakref
from typing import Callable, TypeVar

import streamlit as st

from app_core.live import JobController

C = TypeVar("C", bound=JobController)


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


def job_controller(page: str, kind: Callable[..., C] = JobController) -> C:
    """This session's controller for `page` (a `kind`), kept in session state as `<page>_controller` so a
    dropped and restored connection finds its job again."""
    key = f"{page}_controller"
    if key not in st.session_state:
        st.session_state[key] = kind(owner=f"{_owner_id()}:{page}")
    _guard(page, _owner_id(), st.session_state[key])
    return st.session_state[key]


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
