"""The L0–MSE frontier: short runs of every variant at several sparsity settings, plus scikit-learn's
dictionary learning as the classical baseline. Slow (tens of seconds): pages cache the result."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Callable

import numpy as np

from sae_core.data import Dataset
from sae_core.evaluation import metrics
from sae_core.models import SPECS, build
from sae_core.training.presets import default_hparams
from sae_core.training.trainer import Trainer, steps_for_epochs

# Each swept architecture's knob and values come from its spec (models/<arch>.py).
SETTINGS = {name: spec.sweep for name, spec in SPECS.items() if spec.sweep is not None}
DICTIONARY_NONZEROS = [4, 8, 16, 32]
# Steps between calls of `pause`: well under a second of training at every built-in setup, so a background
# computation gives the cores back to a visitor who presses Play within that time.
PAUSE_EVERY_STEPS = 25


@dataclass(frozen=True)
class FrontierPoint:
    method: str
    label: str
    setting: str
    l0: float
    mse: float
    fve: float

    def as_dict(self) -> dict:
        return asdict(self)


def planned_runs(include_dictionary: bool = True) -> int:
    return sum(len(v) for _, v in SETTINGS.values()) + (1 if include_dictionary else 0)


def compute_frontier(data: Dataset, latents: int, epochs: float, seed: int = 0,
                     include_dictionary: bool = True,
                     progress: Callable[[int, int, str], None] | None = None,
                     pause: Callable[[], None] | None = None) -> list[FrontierPoint]:
    """Train each (variant, setting) for `epochs` and measure L0, MSE and FVE on the whole dataset.

    `pause`, when given, is called every `PAUSE_EVERY_STEPS` steps and may block: a background computation
    waits there while visitors train. The points do not depend on it."""
    total, done, points = planned_runs(include_dictionary), 0, []
    for arch, (name, values) in SETTINGS.items():
        for value in values:
            if progress:
                progress(done, total, f"{SPECS[arch].label}, {name} = {value:g}")
            hp, _ = default_hparams(arch, data.kind)
            setattr(hp, name, value)
            trainer = Trainer(build(arch, data.d, latents, seed=seed), data.x, hp, seed=seed)
            left = steps_for_epochs(len(data.x), hp.batch_size, epochs)
            while left > 0:
                if pause:
                    pause()
                chunk = min(left, PAUSE_EVERY_STEPS if pause else left)
                trainer.step(chunk, snapshot=False)
                left -= chunk
            ev = trainer.evaluate(data.x)
            points.append(FrontierPoint(arch, SPECS[arch].label, f"{name} = {value:g}", ev.l0, ev.mse, ev.fve))
            done += 1
    if include_dictionary:
        if progress:
            progress(done, total, "scikit-learn dictionary learning")
        points.extend(_dictionary_points(data.x, latents, seed))
        done += 1
    if progress:
        progress(done, total, "done")
    return points


def _dictionary_points(x: np.ndarray, atoms: int, seed: int) -> list[FrontierPoint]:
    from sklearn.decomposition import MiniBatchDictionaryLearning, SparseCoder

    dl = MiniBatchDictionaryLearning(n_components=atoms, random_state=seed, batch_size=256, max_iter=3)
    dl.fit(x)
    points = []
    for nz in DICTIONARY_NONZEROS:
        coder = SparseCoder(dl.components_, transform_algorithm="omp", transform_n_nonzero_coefs=min(nz, x.shape[1]))
        codes = coder.transform(x)
        x_hat = codes @ dl.components_
        points.append(FrontierPoint("dictionary", "Dictionary learning (scikit-learn, OMP)", f"non-zeros = {nz}",
                                    float((codes != 0).sum(axis=1).mean()), metrics.mse(x, x_hat),
                                    metrics.explained_variance(x, x_hat)))
    return points
