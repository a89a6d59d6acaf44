"""An SAE a visitor trains on the language model's activations, with the L1 or TopK knob they choose, measured the
way the page measures the background's SAE: FVE, L0 and purity over the browsed held-out characters.

Small on purpose (OWN_LATENTS latents, OWN_STEPS steps): it trains in seconds on a shared 2-core server, with its
progress reported every CHUNK steps. Shapes: activation rows [n, d_mlp]; codes [n_chars, d_sae].
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from typing import Callable

import numpy as np

ARCHS = ("topk", "relu")  # the two knobs the page offers: k for TopK, λ for ReLU + L1
OWN_STEPS = 150
OWN_LATENTS = 512
OWN_SAMPLES = 16_384
CHUNK = 10


@dataclass
class OwnResult:
    arch: str
    knob: str
    value: float
    fve: float
    l0: float
    pure_share: float  # its latents with purity ≥ the threshold, over the browsed characters
    neuron_pure_share: float  # the neurons', measured on the same characters
    seconds: float


def knob_of(arch: str):
    """The architecture's sparsity knob (sae_core.models' ArchSpec): its name, positions and default."""
    from sae_core.models import SPECS

    if arch not in ARCHS:
        raise ValueError(f"the architecture must be one of {', '.join(ARCHS)}, got {arch!r}")
    return SPECS[arch].knobs[0]


def browse_labels(texts: list[str]) -> np.ndarray:
    """Every browsed character's labels. [n_chars, len(LABELS)] bool"""
    from sae_core.lm import char_labels

    return np.concatenate([char_labels(t).matrix() for t in texts])


def train_own(lm, index, acts: np.ndarray, labels: np.ndarray, arch: str, value: float, seed: int = 0,
              progress: Callable[[int, int, str], None] | None = None) -> OwnResult:
    """Train the SAE on `acts` (sampled rows), then measure it on the index's browsed characters."""
    import time

    from sae_core.lm import LMSAE, SAEPlan
    from sae_core.lm.monosemanticity import PURE, unit_purity
    from sae_core.lm.sae import sae_trainer, save_lm_sae

    knob = knob_of(arch)
    if not np.isfinite(value) or not min(knob.values) <= value <= max(knob.values):
        raise ValueError(f"{knob.label} must lie in [{min(knob.values):g}, {max(knob.values):g}], got {value!r}")
    value = int(value) if knob.integer else float(value)
    started = time.perf_counter()
    trainer = sae_trainer(acts, SAEPlan(arch=arch, latents=OWN_LATENTS, steps=OWN_STEPS, batch_size=512,
                                        samples=len(acts), knobs={knob.param: value}), seed=seed)
    while trainer.step_count < OWN_STEPS:
        trainer.step(min(CHUNK, OWN_STEPS - trainer.step_count))
        snap = trainer.history[-1] if trainer.history else None
        if progress is not None:
            progress(trainer.step_count, OWN_STEPS,
                     f"step {trainer.step_count}/{OWN_STEPS}" + (f", FVE {snap.fve:.3f}, L0 {snap.l0:.1f}" if snap else ""))
    with tempfile.TemporaryDirectory() as folder:  # through the SAELens files: weights for raw activations
        save_lm_sae(trainer, folder, acts[:4096])
        sae = LMSAE.load(folder)
    neurons = index.neurons.T.astype(np.float32)  # [n_chars, d_mlp]
    x_hat, f, active = sae.forward_np(neurons)
    x = neurons.astype(np.float64)
    fve = 1.0 - float(np.sum((x - x_hat) ** 2)) / float(np.sum((x - x.mean(axis=0)) ** 2))
    latents = unit_purity(f, labels)
    own_neurons = unit_purity(neurons, labels)
    return OwnResult(arch, knob.param, value, fve, float(active.sum(axis=1).mean()), latents.pure_share(PURE),
                     own_neurons.pure_share(PURE), time.perf_counter() - started)
