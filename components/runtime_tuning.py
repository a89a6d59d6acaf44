"""Process-wide tuning for a Streamlit server that holds torch, scipy and plotly in memory."""

from __future__ import annotations

import functools
import gc
import sys
import threading

_lock = threading.Lock()
_modules_when_frozen = [0]


@functools.cache
def freeze_long_lived_objects() -> int:
    """Exclude the libraries' own objects from garbage collection; returns how many are frozen now.

    Streamlit runs a full collection after every script run (`runner.postScriptGC`), which keeps memory
    in check. But with ~240,000 objects from torch, scipy, plotly and Streamlit to scan, each collection held the GIL
    for ~90 ms, and a finished run's elements waited that long before leaving for the browser. Those
    objects live as long as the process, so they are frozen (`gc.freeze`) and each collection scans only
    what the app has made since.

    Only plotly is loaded here, before the first page: torch and scipy load with the pages that use them
    (a visitor who opens only the concept pages never waits for torch), and `freeze_new_libraries`, at the
    end of every run, freezes them once they have.
    """
    import plotly.graph_objects  # noqa: F401

    import sae_core.figures.sae_figures  # noqa: F401

    return freeze_new_libraries()


def freeze_new_libraries() -> int:
    """Freeze what is alive if modules were imported since the last freeze (a page's first run brought in
    scipy or torch); otherwise nothing (one `len` per run). Returns how many objects are frozen.

    What other sessions hold at that moment is frozen too and will never be collected if it becomes cyclic
    garbage: a few such moments per server, when a library first arrives, so a bounded cost."""
    with _lock:
        if len(sys.modules) != _modules_when_frozen[0]:
            gc.collect()
            gc.freeze()
            _modules_when_frozen[0] = len(sys.modules)
        return gc.get_freeze_count()
