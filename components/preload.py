"""Modules every script thread loads before its page draws anything: the ones Plotly looks up without importing.

Plotly checks a figure's values against numpy, pandas and PIL types by reading `sys.modules` directly
(`_plotly_utils.optional_imports.get_module(name, should_load=False)`), not by importing them. While one thread is
importing pandas (Streamlit loads it for `st.dataframe` and `st.bar_chart`: the Frontier and Feature explorer
pages), the half-made module is already in `sys.modules`, and a figure built on another thread meanwhile fails:
"partially initialized module 'pandas' has no attribute 'Series'" (plotly/plotly.py#2433; seen here on the Norms
page of a fresh server). An `import` statement, unlike that lookup, waits for another thread's import of the same
module to finish. So every run imports them first: the first run of a fresh server pays for it (BENCHMARKS.md, "Why
the constants are what they are"), a run that meets an import under way waits for it, and every later run finds them
in `sys.modules` at the cost of a lookup.
"""

from __future__ import annotations

import importlib

PLOTLY_PEEKS_AT = ("numpy", "pandas", "PIL.Image")


def load_what_plotly_peeks_at() -> None:
    """Import PLOTLY_PEEKS_AT, waiting for any import of them another thread has under way."""
    for name in PLOTLY_PEEKS_AT:
        importlib.import_module(name)
