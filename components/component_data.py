"""Data for a Custom Component v2, shaped so that Streamlit sends it as it is, without its dataframe check."""

from __future__ import annotations

import json


def plain_data(payload: dict) -> dict:
    """`payload` with lists as tuples and nested dicts as JSON text (the component parses those).

    Streamlit 1.67 looks for a dataframe in each first-level value of a component's data, and for anything but
    None, a tuple, a set, a string, bytes or a number that look runs its dataframe checks (and on a process's first
    run, imports pandas: components/preload.py loads it before every page now). What this saves is those checks on
    every mount of every run (BENCHMARKS.md, "Streamlit's internals"). Tuples travel as the same JSON arrays as
    lists."""
    return {key: tuple(value) if isinstance(value, list) else json.dumps(value) if isinstance(value, dict) else value
            for key, value in payload.items()}
