"""Process-wide tuning for a Streamlit server that holds torch, scipy and plotly in memory."""

from __future__ import annotations

import functools
import gc


@functools.cache
def freeze_long_lived_objects() -> int:
    """Exclude the libraries' own objects from garbage collection; returns how many are frozen now.

    Streamlit runs a full collection after every script run (`runner.postScriptGC`), which keeps memory
    in check. But with ~240,000 objects from torch, scipy, plotly and Streamlit to scan, each collection held the GIL
    for ~90 ms, and a finished run's elements waited that long before leaving for the browser. Those
    objects live as long as the process, so they are frozen once (`gc.freeze`) and each collection
    scans only what the app has made since.

    Torch is not loaded here: the concept pages never need it, and a visitor who opens only those should
    not wait for it. The SAE pages load it through `freeze_torch`, which freezes its objects in turn.
    """
    import plotly.graph_objects  # noqa: F401

    import sae_core.figures.sae_figures  # noqa: F401

    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


@functools.cache
def freeze_torch() -> int:
    """Load torch, scipy and the trainer, and freeze their objects too (see above); once per process."""
    freeze_long_lived_objects()
    import scipy.optimize  # noqa: F401
    import scipy.special  # noqa: F401
    import torch  # noqa: F401

    import sae_core.training.trainer  # noqa: F401

    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
