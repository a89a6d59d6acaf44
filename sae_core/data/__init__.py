"""Datasets for SAEs: toy superposition data with ground truth, MNIST, 8×8 digits and user arrays."""

from sae_core.data.dataset import BUILTIN, Dataset, load_dataset, normalisation_scale
from sae_core.data.toy import ToyConfig, make_toy

__all__ = ["BUILTIN", "Dataset", "ToyConfig", "load_dataset", "make_toy", "normalisation_scale"]
