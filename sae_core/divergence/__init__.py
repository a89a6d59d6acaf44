"""Divergences between distributions (`measures`, `bernoulli`), fitting a Gaussian by gradient steps
(`fitting`).
`from sae_core.divergence import kl_divergence` keeps working.

The names below are loaded on first use: the KL-sparse model needs only `bernoulli`, and loading `measures`
with it would bring SciPy into every first Play of a live page (0.3 s on 2 cores).
"""

from __future__ import annotations

import importlib

_HOMES = {
    "bernoulli": ("bernoulli_kl",),
    "fitting": ("GaussianFit", "fit_gaussian"),
    "measures": ("FAMILIES", "LN2", "ContinuousComparison", "Density", "GaussianMixture", "SeparationSweep",
                 "as_distribution", "compare_continuous", "continuous_js", "continuous_kl", "gaussian_kl",
                 "js_divergence", "js_pointwise", "kl_divergence", "kl_pointwise", "separation_sweep",
                 "shared_grid"),
}
_RENAMED = {"FIT_DIRECTIONS": ("fitting", "DIRECTIONS")}
_WHERE = {name: (module, name) for module, names in _HOMES.items() for name in names} | _RENAMED

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _WHERE[name]
    value = getattr(importlib.import_module(f".{module}", __name__), attribute)
    globals()[name] = value  # loaded once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
