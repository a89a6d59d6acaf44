"""SAEs on the LM's MLP activations, trained by the playground's own Trainer and saved in SAELens' format.

Training inputs are rows `mlp_activations` would return: activations at positions in the second half of
random training windows (each with at least context/2 bytes before it), in raw units. The Trainer
normalises them internally and the SAELens writer folds that scale back in, so the saved SAE (d_in =
d_mlp) reads exactly what `mlp_activations` returns. Every architecture of the models registry trains here.

Shapes: activations [n, d_mlp] float32; latents [n, d_sae].
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from sae_core.evaluation.evaluate import feature_densities
from sae_core.models import SAE, SPECS, HParams, build
from sae_core.models.persistence import load_sae, save_sae
from sae_core.training.presets import default_hparams
from sae_core.training.schedule import default_schedule
from sae_core.training.trainer import Trainer
from sae_core.lm.model import ByteLM

# Knobs for MLP activations that differ from the dense-data presets: TopK's k, measured (BENCHMARKS.md, "lm").
# The other architectures train with their presets, untuned here (ReLU's λ = 1 leaves L0 in the hundreds).
LM_KNOBS: dict[str, dict[str, float]] = {"topk": {"k": 16}}
DEFAULT_LATENTS = {"ae": 64}  # a bottleneck has fewer latents than inputs; the sparse ones 4·d_mlp


@dataclass
class SAEPlan:
    """What `train_lm_sae` trains: the architecture, its size and run length, and any knob overrides."""

    arch: str = "topk"
    latents: int | None = None  # None: DEFAULT_LATENTS or 4·d_mlp
    steps: int = 400
    batch_size: int = 1024
    samples: int = 131_072  # activation rows sampled from the training text
    lr: float | None = None
    knobs: dict[str, float] = field(default_factory=dict)

    def __post_init__(self):
        if self.arch not in SPECS:
            raise ValueError(f"unknown architecture {self.arch!r}; choose one of {', '.join(SPECS)}")
        if self.steps < 1 or self.batch_size < 1 or self.samples < 2:
            raise ValueError("steps and batch_size must be at least 1, samples at least 2")

    def d_sae(self, d_mlp: int) -> int:
        return self.latents or DEFAULT_LATENTS.get(self.arch, 4 * d_mlp)

    def hparams(self) -> HParams:
        hp, _ = default_hparams(self.arch, "array")
        for name, value in {**LM_KNOBS.get(self.arch, {}), **self.knobs}.items():
            setattr(hp, name, value)
        hp.batch_size = self.batch_size
        if self.lr is not None:
            hp.lr = self.lr
        return hp


@torch.no_grad()
def sample_activations(model: ByteLM, data: np.ndarray, n_samples: int, seed: int = 0,
                       batch: int = 64) -> np.ndarray:
    """`n_samples` activation rows from random windows of `data` [n_bytes] uint8. [n_samples, d_mlp] float32"""
    c = model.context
    half = c // 2
    if len(data) < c + 1:
        raise ValueError(f"the text has {len(data)} bytes; at least {c + 1} are needed")
    gen = torch.Generator().manual_seed(seed)
    ids = torch.as_tensor(np.asarray(data, dtype=np.int64))
    per_window = c - half
    n_windows = -(-n_samples // per_window)
    starts = torch.randint(0, len(data) - c + 1, (n_windows,), generator=gen)
    was_training = model.training
    model.eval()
    rows = []
    for i in range(0, n_windows, batch):
        x = ids[starts[i:i + batch, None] + torch.arange(c)]
        _, h = model(x, keep_mlp=True)
        rows.append(h[:, half:].reshape(-1, h.shape[-1]))
    model.train(was_training)
    return torch.cat(rows)[:n_samples].numpy().astype(np.float32, copy=False)


def sae_trainer(acts: np.ndarray, plan: SAEPlan, seed: int = 0) -> Trainer:
    """The playground's Trainer for `plan` on activation rows `acts` [n, d_mlp], with its default schedule."""
    d_sae = plan.d_sae(acts.shape[1])
    model = build(plan.arch, acts.shape[1], d_sae, seed=seed)
    hp = plan.hparams()
    schedule = default_schedule(plan.arch, hp, d_sae, plan.steps)
    return Trainer(model, acts, hp, seed=seed, device="cpu", precision="auto", schedule=schedule)


def save_lm_sae(trainer: Trainer, folder: str | Path, acts: np.ndarray, extra: dict | None = None) -> Path:
    """Write the SAELens folder (cfg.json with d_in = d_mlp, weights for raw activations, sparsity)."""
    density = feature_densities(trainer.model, trainer.hp, acts, trainer.input_scale)
    return save_sae(trainer.model, folder, trainer.hp, trainer.input_scale, extra=extra, density=density)


class LMSAE:
    """A saved SAE read back by the app's own loader, ready for raw MLP activations."""

    def __init__(self, model: SAE, hp: HParams, cfg: dict):
        self.model, self.hp, self.cfg = model, hp, cfg
        self.d_in, self.d_sae = model.d_in, model.d_sae

    @classmethod
    def load(cls, folder: str | Path) -> "LMSAE":
        return cls(*load_sae(folder))

    @torch.no_grad()
    def encode_torch(self, h: torch.Tensor) -> torch.Tensor:
        """Latent activations. [n, d_mlp] → [n, d_sae]"""
        return self.model(h.float(), self.hp).f

    @torch.no_grad()
    def forward_np(self, acts: np.ndarray, batch: int = 8192) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(reconstruction [n, d_mlp], latents [n, d_sae], firing mask [n, d_sae] bool)."""
        xs, fs, ms = [], [], []
        for i in range(0, len(acts), batch):
            out = self.model(torch.as_tensor(acts[i:i + batch], dtype=torch.float32), self.hp)
            xs.append(out.x_hat)
            fs.append(out.f)
            ms.append(out.active)
        if not xs:
            return (np.zeros((0, self.d_in), np.float32), np.zeros((0, self.d_sae), np.float32),
                    np.zeros((0, self.d_sae), bool))
        return torch.cat(xs).numpy(), torch.cat(fs).numpy(), torch.cat(ms).numpy()

    def encode(self, acts: np.ndarray) -> np.ndarray:
        """Latent activations of raw MLP rows. [n, d_mlp] → [n, d_sae] float32"""
        return self.forward_np(acts)[1]

    def direction(self, latent: int) -> torch.Tensor:
        """The latent's decoder row: what one unit of it adds to the MLP activations. [d_mlp]"""
        return self.model.W_dec[latent].detach()
