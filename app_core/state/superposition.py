"""The Superposition page's state: the toy model's data, and the Train page's link for data like it."""

from __future__ import annotations

from dataclasses import dataclass

from sae_core.superposition import ToyModelConfig
from app_core.state.codec import Grid, Integer, url_field

PROBABILITIES = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0)
DECAYS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
D_HIDDEN = 2  # the page draws the hidden space as a plane
FEATURE_COUNTS = (3, 8)  # the fewest and the most features n
# The Train page's toy data accept these ranges (app_core.state.training.TrainState); outside them the
# link clamps, and the page says so.
TRAIN_PROB = (0.005, 0.5)
TRAIN_IMPORTANCE = (0.9, 1.0)


@dataclass(frozen=True)
class SuperpositionState:
    p: float = url_field("p", Grid(PROBABILITIES), 0.05, label="feature probability")
    decay: float = url_field("decay", Grid(DECAYS), 0.9, label="importance decay")
    features: int = url_field("features", Integer(*FEATURE_COUNTS), 5)
    seed: int = url_field("seed", Integer(0, 10_000), 0)

    def config(self) -> ToyModelConfig:
        return ToyModelConfig(n_features=self.features, d_hidden=D_HIDDEN, feature_probability=self.p,
                              importance_decay=self.decay, seed=self.seed)

    def train_query(self) -> dict[str, str]:
        """The Train page's URL parameters for toy data like this: as many features, packed into as many
        dimensions, as sparse and as unequal (within what that page offers), and an SAE with room for them."""
        prob = min(max(self.p, TRAIN_PROB[0]), TRAIN_PROB[1])
        importance = min(max(self.decay, TRAIN_IMPORTANCE[0]), TRAIN_IMPORTANCE[1])
        return {"source": "toy", "toy_features": str(self.features), "toy_d": str(D_HIDDEN),
                "toy_prob": f"{prob:g}", "toy_importance": f"{importance:g}", "arch": "relu",
                "latents": str(4 * self.features), "seed": str(self.seed)}

    def train_query_clamped(self) -> bool:
        q = self.train_query()
        return float(q["toy_prob"]) != self.p or float(q["toy_importance"]) != self.decay
