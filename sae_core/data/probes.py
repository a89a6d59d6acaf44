"""Which inputs a page shows: a fixed, varied handful, chosen without training anything."""

from __future__ import annotations

import numpy as np

from sae_core.data.dataset import Dataset


def one_per_label(data: Dataset, n: int) -> np.ndarray:
    """The first input of each of the first `n` labels (MNIST: one digit each, 0, 1, 2, …); without labels,
    the first `n` inputs. [≤ n] indices"""
    if data.labels is None:
        return np.arange(min(n, len(data.x)))
    return np.array([int(np.flatnonzero(data.labels == c)[0]) for c in np.unique(data.labels)[:n]])


def probe_names(data: Dataset, idx: np.ndarray) -> list[str]:
    """How a page names those inputs: "digit 3" where labels exist, else "input 3"."""
    if data.labels is None:
        return [f"input {int(i)}" for i in idx]
    return [f"digit {int(data.labels[i])}" for i in idx]
