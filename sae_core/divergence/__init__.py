"""Divergences between distributions (`measures`), what the KL page reads off them (`readout`), and the
drag canvas's wire format (`canvas_wire`). `from sae_core.divergence import kl_divergence` keeps working."""

from .fitting import DIRECTIONS as FIT_DIRECTIONS, GaussianFit, fit_gaussian
from .measures import (FAMILIES, LN2, ContinuousComparison, Density, GaussianMixture, SeparationSweep, as_distribution,
                       bernoulli_kl,
                       compare_continuous, continuous_js, continuous_kl, gaussian_kl, js_divergence, js_pointwise,
                       kl_divergence, kl_pointwise, separation_sweep, shared_grid)

__all__ = ["FAMILIES", "FIT_DIRECTIONS", "LN2", "ContinuousComparison", "Density", "GaussianFit", "GaussianMixture", "SeparationSweep", "fit_gaussian", "as_distribution", "bernoulli_kl",
           "compare_continuous", "continuous_js", "continuous_kl", "gaussian_kl", "js_divergence", "js_pointwise",
           "kl_divergence", "kl_pointwise", "separation_sweep", "shared_grid"]
