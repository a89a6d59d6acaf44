"""Data for a Custom Component v2, shaped so that Streamlit sends it as it is, without its dataframe check."""

from __future__ import annotations

import json


def plain_data(payload: dict) -> dict:
    """`payload` with lists as tuples and nested dicts as JSON text (the component parses those).

    Streamlit 1.67 looks for a dataframe in each first-level value of a component's data, and for anything but
    None, a tuple, a set, a string, bytes or a number that look imports numpy, pandas and pyarrow: 0.37 s of the
    KL page's first run on a fresh server (cProfile). The app now loads pandas before every page for another
    reason (components/preload.py), so what this still saves is the check itself on every value of every run.
    Tuples travel as the same JSON arrays as lists."""
    return {key: tuple(value) if isinstance(value, list) else json.dumps(value) if isinstance(value, dict) else value
            for key, value in payload.items()}
