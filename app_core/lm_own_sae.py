"""An SAE a visitor trains live on the language model's MLP activations, with the L1 or TopK knob they choose, and
then browses: the live engine's SAE run (app_core/live: Play/pause, knobs moved while it trains, its curves) on a
sample of the activations `mlp_activations` returns, measured afterwards the way the page measures the background's
SAE (FVE, L0 and purity over the browsed held-out characters) and indexed for the page's feature browser.

Small on purpose (OWN_LATENTS latents): it trains at tens of steps a second on a shared 2-core server.
Shapes: activation rows [n, d_mlp]; browsed characters' neurons [d_mlp, n_chars]; codes [n_chars, d_sae].
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass

import numpy as np

from sae_core.data import Dataset

ARCHS = ("topk", "relu")  # the two knobs the page offers: k for TopK, λ for ReLU + L1
OWN_LATENTS = 512
OWN_SAMPLES = 16_384
BATCH_SIZE = 512
CHUNK = 4096  # browsed characters encoded at a time: the dense codes of all of them would take tens of MB


@dataclass
class OwnResult:
    arch: str
    knob: str
    value: float
    step: int  # the run's step when it was measured
    fve: float
    l0: float
    pure_share: float  # its latents with purity ≥ the threshold, over the browsed characters
    neuron_pure_share: float  # the neurons', measured on the same characters


@dataclass
class OwnBrowse:
    """A visitor's SAE as the feature browser reads it (kept in the job registry: its index holds arrays)."""

    sae: object  # sae_core.lm.LMSAE, weights for raw activations
    index: object  # app_core.lm_browse.BrowseIndex over the model's browsed characters
    result: OwnResult
    version: str  # the model's version it was trained on, its run and step: a key for cached results


def knob_of(arch: str):
    """The architecture's sparsity knob (sae_core.models' ArchSpec): its name, positions and default."""
    from sae_core.models import SPECS

    if arch not in ARCHS:
        raise ValueError(f"the architecture must be one of {', '.join(ARCHS)}, got {arch!r}")
    return SPECS[arch].knobs[0]


def own_hparams(arch: str, value: float):
    """The run's hyperparameters: the preset for arrays of activations, with the visitor's knob."""
    from sae_core.training.presets import default_hparams

    knob = knob_of(arch)
    if not np.isfinite(value) or not min(knob.values) <= value <= max(knob.values):
        raise ValueError(f"{knob.label} must lie in [{min(knob.values):g}, {max(knob.values):g}], got {value!r}")
    hp, _ = default_hparams(arch, "array")
    setattr(hp, knob.param, int(value) if knob.integer else float(value))
    hp.batch_size = BATCH_SIZE
    return hp


def own_dataset(acts: np.ndarray) -> Dataset:
    """Activation rows sampled from the training files, as the live engine trains on any array."""
    return Dataset("the language model's MLP activations", np.asarray(acts, dtype=np.float32))


def own_setup(version: str, arch: str):
    """What makes a run (a new one when the model or the architecture changes; a knob only tunes it)."""
    from app_core.live import RunSetup

    return RunSetup(data_key=f"lm-mlp:{version}", arch=arch, latents=OWN_LATENTS)


def browse_labels(texts: list[str]) -> np.ndarray:
    """Every browsed character's labels. [n_chars, len(LABELS)] bool"""
    from sae_core.lm import char_labels

    return np.concatenate([char_labels(t).matrix() for t in texts])


def neuron_pure_share(index, labels: np.ndarray) -> float:
    """The share of the model's neurons that are monosemantic over the browsed characters (what a visitor's
    latents are compared with, on the same characters)."""
    from sae_core.lm.monosemanticity import PURE, unit_purity

    return unit_purity(index.neurons.T.astype(np.float32), labels).pure_share(PURE)


def lm_sae_of(trained) -> object:
    """An `LMSAE` for raw activations from a live run's `TrainedModel`, through the SAELens files (which fold the
    run's input scale into the weights)."""
    from sae_core.lm import LMSAE
    from sae_core.models.persistence import save_sae

    with tempfile.TemporaryDirectory() as folder:
        save_sae(trained.model, folder, trained.hp, trained.input_scale)
        return LMSAE.load(folder)


def browse_own(sae, index, labels: np.ndarray, neurons_pure: float, arch: str, value: float, step: int,
               version: str) -> OwnBrowse:
    """Measure the visitor's SAE (`value`: its knob's setting) on the browsed characters and index its latents as
    the browser reads them."""
    from app_core.lm_browse import BrowseIndex, SparseCodes
    from sae_core.lm.monosemanticity import PURE, TopActivations, purity_from_top, top_k_for

    knob = knob_of(arch)
    n = index.neurons.shape[1]
    top, codes = TopActivations(sae.d_sae, top_k_for(n)), SparseCodes(sae.d_sae)
    err = total = active = 0.0
    mean = index.neurons.astype(np.float64).mean(axis=1)
    for i in range(0, n, CHUNK):
        x = index.neurons[:, i:i + CHUNK].T.astype(np.float32)
        x_hat, f, fired = sae.forward_np(x)
        err += float(np.sum((x.astype(np.float64) - x_hat) ** 2))
        total += float(np.sum((x - mean) ** 2))
        active += float(fired.sum())
        top.update(f)
        codes.add(f, i)
    indptr, rows, values = codes.columns()
    purity = purity_from_top(top, labels)
    fve, l0 = (1.0 - err / total if total > 0 else float("nan")), active / max(n, 1)
    facts = {"fve": fve, "l0": l0, "dead_fraction": float(np.mean(np.diff(indptr) == 0)), "chars": n,
             "browse_chars": n}
    own = BrowseIndex(index.texts, index.neurons, indptr, rows, values, index.neuron_purity, purity, facts,
                      sae.model.W_dec.detach().cpu().numpy().astype(np.float32))
    result = OwnResult(arch, knob.param, value, step, fve, l0, purity.pure_share(PURE), neurons_pure)
    return OwnBrowse(sae, own, result, version)
