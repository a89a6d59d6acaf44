"""Datasets shared by every visitor and page, loaded once per server (no torch: the data are numpy)."""

from __future__ import annotations

import streamlit as st

from sae_core.data import Dataset, ToyConfig, load_dataset


@st.cache_resource(show_spinner="Loading data…")
def shared_dataset(spec: str, toy: ToyConfig | None = None) -> Dataset:
    """Datasets are read-only and shared by every visitor (loaded once per server)."""
    return load_dataset(spec, toy=toy)
