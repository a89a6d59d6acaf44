"""Streamlit glue shared by the SAE pages: cached data, each page's SAE-training controller, the current model."""

from __future__ import annotations

import streamlit as st

from components.live_session import job_controller, job_registry, owner_id
from components.shared_data import shared_dataset  # noqa: F401 - the SAE pages take their data from here too
from app_core.live import LiveController, TrainedModel

CURRENT_MODEL = "current_model"


def live_controller(page: str) -> LiveController:
    """This session's SAE-training controller for `page` (see `live_session.job_controller`)."""
    return job_controller(page, LiveController)


def set_current_model(model: TrainedModel) -> None:
    """The model the analysis pages read: kept in the job registry, its version (an int) in session state."""
    job_registry().put(owner_id(), CURRENT_MODEL, model)
    st.session_state["current_model_version"] = st.session_state.get("current_model_version", 0) + 1


def current_model() -> TrainedModel | None:
    return job_registry().get(owner_id(), CURRENT_MODEL)


def current_model_version() -> int:
    return st.session_state.get("current_model_version", 0)
