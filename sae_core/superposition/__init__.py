"""The toy model of superposition (Elhage et al. 2022): why SAEs exist."""

from .live import ToyModelRun, ToyModelSnapshot
from .toy_model import ToyModel, ToyModelConfig, reconstruct, train_toy_model

__all__ = ["ToyModel", "ToyModelConfig", "ToyModelRun", "ToyModelSnapshot", "reconstruct", "train_toy_model"]
