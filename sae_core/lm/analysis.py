"""One pass over held-out files: the SAE's FVE, L0 and dead latents, and neurons' and latents' purity.

Streams file by file, so no [n_chars, d_sae] array is ever held. FVE, L0 and dead latents are
metrics.py's definitions (FVE = 1 − Σ‖x − x̂‖² / Σ‖x − x̄‖², here from running sums in float64; a
latent is dead when it fires on none of the evaluated characters).

Shapes: per file, activations [n_chars, d_mlp], latents [n_chars, d_sae], labels [n_chars, len(LABELS)].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sae_core.lm.corpus import SourceFile
from sae_core.lm.labels import char_labels
from sae_core.lm.model import ByteLM
from sae_core.lm.monosemanticity import TOP_FRACTION, TopActivations, UnitPurity, compare, purity_from_top, top_k_for
from sae_core.lm.sae import LMSAE
from sae_core.lm.text import MAX_ANALYSED_CHARS

DEFAULT_MAX_CHARS = 400_000  # every default held-out file: a prefix of them leans on one encoding table


@dataclass
class Analysis:
    chars: int
    fve: float
    l0: float
    dead_fraction: float
    neurons: UnitPurity
    latents: UnitPurity
    comparison: dict  # monosemanticity.compare(neurons, latents)
    labels: np.ndarray  # [chars, len(LABELS)] bool, every evaluated character's labels
    text: str  # the evaluated characters, files joined in order

    def as_dict(self) -> dict:
        c = self.comparison
        return {"chars": self.chars, "fve": self.fve, "l0": self.l0, "dead_fraction": self.dead_fraction,
                "purity_threshold": c["threshold"], "neurons": c["neurons"], "latents": c["latents"],
                "pure_ratio": c["ratio"]}


def held_out_texts(files, max_chars: int) -> list[str]:
    """The files' texts in order, each cut at text.MAX_ANALYSED_CHARS and the last one so that at most
    `max_chars` characters are taken."""
    out, total = [], 0
    for f in files:
        if total >= max_chars:
            break
        body = (f.text if isinstance(f, SourceFile) else str(f))[:min(max_chars - total, MAX_ANALYSED_CHARS)]
        out.append(body)
        total += len(body)
    return out


def analyse(lm: ByteLM, sae: LMSAE, files, max_chars: int = DEFAULT_MAX_CHARS,
            top_fraction: float = TOP_FRACTION) -> Analysis:
    texts = [t for t in held_out_texts(files, max_chars) if t]
    n = sum(len(t) for t in texts)
    if n == 0:
        raise ValueError("no held-out text to analyse")
    k = top_k_for(n, top_fraction)
    top_n, top_l = TopActivations(lm.d_mlp, k), TopActivations(sae.d_sae, k)
    sse, sum_x, sum_sq, active_total = 0.0, np.zeros(lm.d_mlp), 0.0, 0.0
    fired = np.zeros(sae.d_sae, dtype=bool)
    labels = []
    for t in texts:
        acts = lm.mlp_activations(t)
        x_hat, f, active = sae.forward_np(acts)
        x64 = acts.astype(np.float64)
        sse += float(np.sum((x64 - x_hat) ** 2))
        sum_x += x64.sum(axis=0)
        sum_sq += float(np.sum(x64 ** 2))
        active_total += float(active.sum())
        fired |= active.any(axis=0)
        top_n.update(acts)
        top_l.update(f)
        labels.append(char_labels(t).matrix())
    variance = sum_sq - float(np.sum(sum_x ** 2)) / n
    label_matrix = np.concatenate(labels)
    neurons, latents = purity_from_top(top_n, label_matrix), purity_from_top(top_l, label_matrix)
    return Analysis(chars=n, fve=1.0 - sse / variance if variance > 0 else float("nan"), l0=active_total / n,
                    dead_fraction=float(np.mean(~fired)), neurons=neurons, latents=latents,
                    comparison=compare(neurons, latents), labels=label_matrix, text="".join(texts))
