"""The one evaluation path: run a model over inputs in original units and measure it.

Every page, the frontier, the live runs and the command line measure through `evaluate`, so a number
means the same thing wherever it is shown.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import torch

from sae_core.models import SAE, HParams
from sae_core.evaluation import metrics


@dataclass
class Evaluation:
    """Metrics over a set of inputs, in the original input units."""

    l0: float
    mse: float  # per input dimension
    mse_per_sample: float  # summed over dimensions, as SAELens reports it
    normalised_mse: float  # MSE / MSE of the mean predictor = 1 − FVE
    fve: float
    dead_fraction: float | None  # a live run's is None until it has seen a whole window (metrics.DEAD_HELP)
    shrinkage: float
    mean_activation: float  # KL model: mean firing rate ρ̂; others: mean activation
    mmcs: float | None = None
    mcc: float | None = None

    def as_dict(self) -> dict:
        return {k: (None if v is None else round(float(v), 6)) for k, v in asdict(self).items()}


@torch.no_grad()
def run_model(model: SAE, hp: HParams, x_original: np.ndarray, input_scale: float = 1.0, batch: int = 4096):
    """x̂ (original units), activations f and firing mask for x in original units. Numpy arrays.

    x: [n, d]; returns [n, d], [n, d_sae], [n, d_sae] bool. `input_scale` is the factor the model's inputs
    were normalised by in training (1 for a saved model, whose weights have it folded in).
    """
    model.eval()
    device = next(model.parameters()).device
    xs, fs, acts = [], [], []
    for i in range(0, len(x_original), batch):
        xb = torch.as_tensor(x_original[i:i + batch], dtype=torch.float32, device=device) * input_scale
        out = model(xb, hp)
        xs.append((out.x_hat / input_scale).cpu())
        fs.append(out.f.cpu())
        acts.append(out.active.cpu())
    model.train()
    return torch.cat(xs).numpy(), torch.cat(fs).numpy(), torch.cat(acts).numpy()


@torch.no_grad()
def feature_densities(model: SAE, hp: HParams, x_original: np.ndarray, input_scale: float = 1.0,
                      batch: int = 4096) -> np.ndarray:
    """The fraction of inputs each latent fires on, counted batch by batch (no [n, d_sae] array). [d_sae]"""
    model.eval()
    device = next(model.parameters()).device
    counts = torch.zeros(model.d_sae, dtype=torch.float64)
    for i in range(0, len(x_original), batch):
        xb = torch.as_tensor(x_original[i:i + batch], dtype=torch.float32, device=device) * input_scale
        counts += model(xb, hp).active.sum(dim=0).cpu().double()
    model.train()
    return (counts / max(1, len(x_original))).numpy()


@torch.no_grad()
def mean_activation(model: SAE, f: np.ndarray) -> float:
    """Mean over inputs and latents of what the model's sparsity is judged by (KL model: ρ̂)."""
    return float(model.latent_means(torch.as_tensor(f)).mean())


def evaluate(model: SAE, hp: HParams, x_original: np.ndarray, input_scale: float = 1.0,
             true_features: np.ndarray | None = None, matched: bool = True) -> Evaluation:
    """Metrics on `x_original` [n, d]; latents that fire on none of these inputs count as dead."""
    x_hat, f, active = run_model(model, hp, x_original, input_scale)
    ev = Evaluation(
        l0=metrics.l0(active), mse=metrics.mse(x_original, x_hat),
        mse_per_sample=metrics.mse_per_sample(x_original, x_hat),
        normalised_mse=metrics.normalised_mse(x_original, x_hat),
        fve=metrics.explained_variance(x_original, x_hat),
        dead_fraction=metrics.dead_fraction(active),
        shrinkage=metrics.shrinkage(x_original, x_hat), mean_activation=mean_activation(model, f),
    )
    if true_features is not None:
        decoder = model.W_dec.detach().cpu().numpy()
        ev.mmcs = metrics.mmcs(true_features, decoder)
        if matched:
            ev.mcc = metrics.mcc(true_features, decoder)
    return ev
