"""SAE metrics as the field defines them (SAELens' evals; Gao et al. 2024), each with a one-line definition.

Where the field uses two conventions the name says which: `mse` is per input dimension, `mse_per_sample`
is SAELens' (summed over dimensions).

x, x_hat: [n, d]; f / active: [n, d_sae]; decoder: [d_sae, d]; true features: [n_true, d].
"""

from __future__ import annotations

import numpy as np


def _np(t) -> np.ndarray:
    """A numpy view of a numpy array or a torch tensor (duck-typed: the definitions' module, which pages
    read for help texts, must not load torch)."""
    return t.detach().cpu().numpy() if hasattr(t, "detach") else np.asarray(t)


def l0(active) -> float:
    """Mean number of active latents per sample."""
    return float(_np(active).sum(axis=1).mean())


def mse(x, x_hat) -> float:
    """MSE per input dimension: the mean over samples and dimensions of (x − x̂)²."""
    return float(np.mean((_np(x) - _np(x_hat)) ** 2))


def mse_per_sample(x, x_hat) -> float:
    """MSE per sample, as SAELens reports it: the mean over samples of ‖x − x̂‖² (= d × `mse`)."""
    return float(np.mean(np.sum((_np(x) - _np(x_hat)) ** 2, axis=1)))


def _nonzero_rows(x: np.ndarray) -> np.ndarray:
    """Samples whose norm is not negligible; ratios to ‖x‖ are meaningless for all-zero inputs."""
    sq = np.sum(x.astype(np.float64) ** 2, axis=1)
    return sq > 1e-12 * max(float(sq.max(initial=0.0)), 1e-30)


def normalised_mse(x, x_hat) -> float:
    """MSE divided by the MSE of predicting every sample by the mean sample (Gao et al. 2024): 1 − FVE.

    0 is perfect, 1 is no better than the mean. (OpenAI's per-sample ratio ‖x − x̂‖²/‖x‖² is another
    quantity, and explodes on inputs of small norm.)"""
    x, x_hat = _np(x).astype(np.float64), _np(x_hat).astype(np.float64)
    total = np.sum((x - x.mean(axis=0)) ** 2)
    return float(np.sum((x - x_hat) ** 2) / total) if total > 0 else float("nan")


def explained_variance(x, x_hat) -> float:
    """Fraction of variance explained (FVE): 1 − Σ‖x − x̂‖² / Σ‖x − x̄‖²."""
    return 1.0 - normalised_mse(x, x_hat)


def feature_density(active) -> np.ndarray:
    """Fraction of samples on which each latent fires. [d_sae]"""
    return _np(active).mean(axis=0)


# One definition of a dead latent, used by the displays, AuxK and resampling alike: it fired on none of a
# window of inputs. In training the window is the last min(DEAD_WINDOW_SAMPLES, dataset size) inputs the
# model was shown, so on a dataset smaller than the window one silent pass over it is enough; an
# evaluation's window is the inputs it evaluates.
DEAD_WINDOW_SAMPLES = 20_000
DEAD_HELP = (f"Latents that fired on none of the last {DEAD_WINDOW_SAMPLES:,} training inputs (or one whole pass "
             "over a smaller dataset). Shown once the model has seen that many.")


# One-line definitions for the pages' help texts, beside the functions they describe.
HELP = {
    "l0": "L0: the mean number of latents that fire per input.",
    "mse": "MSE per input dimension, in the data's original units: mean of (x − x̂)² over inputs and "
           "dimensions. SAELens reports it per sample instead, summed over the d dimensions (d times larger).",
    "fve": "Fraction of variance explained: 1 − Σ‖x − x̂‖² / Σ‖x − x̄‖², the share of the data's variance about "
           "its mean that the reconstruction keeps. 1 − FVE is the normalised MSE of Gao et al. (2024).",
    "mmcs": "Mean max cosine similarity: for each true feature, its best cosine with any decoder atom, averaged "
            "(several features may share one atom).",
    "mcc": "Mean correlation coefficient (SAELens): the mean |cosine| after matching true features to atoms "
           "one-to-one.",
    "shrinkage": "Mean ‖x̂‖/‖x‖. Below 1: the L1 penalty shrinks every reconstruction towards zero.",
    "steps_per_second": "Optimiser steps per second of training time on this machine.",
    "density": "Feature density: the fraction of inputs a latent fires on.",
}


def dead_window(n_samples: int) -> int:
    """Inputs a latent may go without firing before it counts as dead, on a dataset of `n_samples`."""
    return min(DEAD_WINDOW_SAMPLES, n_samples)


def dead_fraction(active) -> float:
    """Fraction of latents that fire on none of these samples."""
    return float(np.mean(feature_density(active) == 0))


def log_density_histogram(active, bins: int = 30, floor: float = -6.0) -> tuple[np.ndarray, np.ndarray]:
    """Histogram of log10(feature density); dead latents are placed at `floor`."""
    dens = feature_density(active)
    logd = np.where(dens > 0, np.log10(np.maximum(dens, 10**floor)), floor)
    return np.histogram(logd, bins=bins, range=(floor, 0.0))


def shrinkage(x, x_hat) -> float:
    """Mean ‖x̂‖/‖x‖ (all-zero samples skipped): below 1 means the L1 penalty shrinks reconstructions."""
    x, x_hat = _np(x), _np(x_hat)
    keep = _nonzero_rows(x)
    return float(np.mean(np.linalg.norm(x_hat[keep], axis=1) / np.linalg.norm(x[keep], axis=1)))


def cosine_matrix(true_features, decoder) -> np.ndarray:
    """Cosine similarity of every true feature with every decoder row. [n_true, d_sae]"""
    a, b = _np(true_features).astype(np.float64), _np(decoder).astype(np.float64)
    a = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)
    b = b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-12)
    return a @ b.T


def mmcs(true_features, decoder) -> float:
    """Mean max cosine similarity (MMCS): for each true feature, its best cosine with any decoder row, averaged;
    several features may pick the same row (MCC forbids that)."""
    return float(cosine_matrix(true_features, decoder).max(axis=1).mean())


def hungarian_matching(true_features, decoder, absolute: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """One-to-one matching of true features to decoder rows maximising the total cosine (|cosine| with
    `absolute`, as SAELens' MCC does).

    Returns (latent index for each true feature, its cosine); -1 / nan where there are fewer latents.
    """
    cos = cosine_matrix(true_features, decoder)
    if absolute:
        cos = np.abs(cos)
    # Here, not at the top: the live pages import this module on their first Play, and only the toy data's feature
    # recovery needs SciPy's optimize.
    from scipy.optimize import linear_sum_assignment

    # A diverged model has NaN rows; they match nothing rather than breaking the assignment.
    rows, cols = linear_sum_assignment(-np.nan_to_num(cos, nan=-1.0))
    latent = np.full(cos.shape[0], -1)
    latent[rows] = cols
    sims = np.full(cos.shape[0], np.nan)
    sims[rows] = cos[rows, cols]
    return latent, sims


FOUND_COSINE = 0.9  # a true feature counts as found when its matched atom's cosine reaches this


def found_features(sims, threshold: float = FOUND_COSINE) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(found, missed) true-feature indices, from each one's matched cosine (NaN counts as missed)."""
    sims = np.asarray(sims, dtype=np.float64)
    hit = np.nan_to_num(sims, nan=-np.inf) >= threshold
    return tuple(int(i) for i in np.flatnonzero(hit)), tuple(int(i) for i in np.flatnonzero(~hit))


def mcc(true_features, decoder) -> float:
    """Mean correlation coefficient as SAELens computes it: the mean |cosine| after a one-to-one
    (Hungarian) matching of true features to decoder rows on |cosine|."""
    _, sims = hungarian_matching(true_features, decoder, absolute=True)
    return float(np.nanmean(sims))
