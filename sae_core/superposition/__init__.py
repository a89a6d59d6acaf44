"""The toy model of superposition (Elhage et al. 2022): why SAEs exist."""

from sae_core.superposition.toy_model import ToyModel, ToyModelConfig, reconstruct, train_toy_model

__all__ = ["ToyModel", "ToyModelConfig", "reconstruct", "train_toy_model"]
