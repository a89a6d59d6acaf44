"""What a page needs to look at one unit: its top contexts, its activation histogram, the characters it
promotes, and searches for units by label or by example text.

A *unit* is an SAE latent when `sae` is given, else an MLP neuron. Texts are capped together at
text.MAX_ANALYSED_CHARS (each function returns the note `clip_text` gives when it cut something).

Shapes: a context's activations [len(context text)]; a histogram's counts [bins], edges [bins + 1].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from sae_core.lm import text as text_io
from sae_core.lm.labels import LABELS
from sae_core.lm.model import ByteLM
from sae_core.lm.monosemanticity import UnitPurity
from sae_core.lm.sae import LMSAE


@dataclass(frozen=True)
class Context:
    text: str  # a window of the source text around the activation
    acts: np.ndarray  # [len(text)] the unit's activation at each character of the window
    focus: int  # index in `text` of the character the unit fired on
    value: float  # the activation there
    source: int  # which of the texts it came from
    position: int  # the character's index in that text


def _clip_all(texts: list[str]) -> tuple[list[str], str | None]:
    out, left = [], text_io.MAX_ANALYSED_CHARS
    for t in texts:
        if left <= 0:
            break
        out.append(t[:left])
        left -= len(out[-1])
    cut = sum(len(t) for t in texts) - sum(len(t) for t in out)
    return out, (f"only the first {text_io.MAX_ANALYSED_CHARS:,} characters were analysed ({cut:,} left out)"
                 if cut else None)


def unit_activations(lm: ByteLM, text: str, unit: int, sae: LMSAE | None = None) -> np.ndarray:
    """One unit's activation at every character of `text`. [len(text)] float32"""
    acts = lm.mlp_activations(text)
    width = sae.d_sae if sae is not None else lm.d_mlp
    if not 0 <= unit < width:
        raise ValueError(f"unit {unit} does not exist; there are {width}")
    if sae is None:
        return acts[:, unit].copy()
    return sae.encode(acts)[:, unit]


def top_contexts(lm: ByteLM, unit: int, texts: list[str], sae: LMSAE | None = None, k: int = 10,
                 width: int = 40) -> tuple[list[Context], str | None]:
    """The unit's k strongest activations over `texts`, each with `width` characters either side (before:
    what the model read; after: for the eye only). Returns (contexts, note)."""
    texts, note = _clip_all(list(texts))
    found = []
    per_text = []
    for s, t in enumerate(texts):
        a = unit_activations(lm, t, unit, sae)
        per_text.append(a)
        for p in np.argsort(-a)[:k]:
            if a[p] > 0:
                found.append((float(a[p]), s, int(p)))
    found.sort(key=lambda item: -item[0])
    out = []
    for value, s, p in found[:k]:
        a0, b0 = max(0, p - width), min(len(texts[s]), p + width + 1)
        out.append(Context(texts[s][a0:b0], per_text[s][a0:b0], p - a0, value, s, p))
    return out, note


def activation_histogram(lm: ByteLM, unit: int, texts: list[str], sae: LMSAE | None = None,
                         bins: int = 30) -> dict:
    """Counts of the unit's non-zero activations over `texts` (edges from the data), and the share of zeros."""
    texts, note = _clip_all(list(texts))
    values = np.concatenate([unit_activations(lm, t, unit, sae) for t in texts]) if texts else np.zeros(0)
    nonzero = values[values != 0]
    counts, edges = np.histogram(nonzero, bins=bins) if len(nonzero) else (np.zeros(bins, int),
                                                                            np.linspace(0, 1, bins + 1))
    return {"counts": counts.tolist(), "edges": edges.tolist(), "chars": int(len(values)),
            "zero_fraction": float(np.mean(values == 0)) if len(values) else 0.0, "note": note}


@torch.no_grad()
def promoted_chars(lm: ByteLM, unit: int, sae: LMSAE | None = None, k: int = 10) -> dict:
    """The next characters a unit pushes up and down: its direction in the MLP's hidden space, through the
    MLP's output, the final LayerNorm's gain and the unembedding (the direct path; the LayerNorm's
    division by the residual's norm is left out, so only the ranking and signs are meaningful).
    Logits are centred over the 256 bytes. Returns {"promoted": [(char, logit)], "suppressed": [...]}"""
    block = lm.blocks[-1]
    if sae is not None:
        direction = sae.direction(unit)  # [d_mlp]
    else:
        if not 0 <= unit < lm.d_mlp:
            raise ValueError(f"neuron {unit} does not exist; there are {lm.d_mlp}")
        direction = torch.zeros(lm.d_mlp)
        direction[unit] = 1.0
    resid = block.mlp_out.weight @ direction  # [d_model]
    logits = lm.unembed.weight @ (lm.ln_f.weight * resid)  # [256]
    logits = logits - logits.mean()
    order = torch.argsort(logits, descending=True)

    def shown(i: int) -> str:
        return chr(i) if i < 128 else f"\\x{i:02x}"  # a byte above 127 is part of a UTF-8 character, not one

    return {"promoted": [(shown(int(i)), float(logits[i])) for i in order[:k]],
            "suppressed": [(shown(int(i)), float(logits[i])) for i in order[-k:].flip(0)]}


def search_by_label(purity: UnitPurity, label: str, k: int = 20, min_support: int = 1) -> list[dict]:
    """Units whose top characters most often carry `label` (any of LABELS), strongest share first."""
    if label not in LABELS:
        raise ValueError(f"unknown label {label!r}; choose one of {', '.join(LABELS)}")
    shares = purity.shares[:, LABELS.index(label)]
    ok = purity.support >= min_support
    order = [int(i) for i in np.argsort(-np.where(ok, shares, -1.0)) if ok[i]][:k]
    return [{"unit": i, "share": float(shares[i]), "purity": float(purity.purity[i]),
             "best_label": purity.best_label(i), "support": int(purity.support[i])} for i in order]


def search_by_text(lm: ByteLM, text: str, sae: LMSAE | None = None, position: int | None = None,
                   k: int = 10) -> tuple[list[dict], str | None]:
    """Units most active on example text: at character `position` (negative counts from the end), or by
    their mean over the whole text when it is None. Returns ([{unit, value}], note)."""
    text, note = text_io.clip_text(text)
    if not text:
        return [], note
    acts = lm.mlp_activations(text)
    units = sae.encode(acts) if sae is not None else acts
    if position is None:
        row = units.mean(axis=0)
    else:
        if not -len(text) <= position < len(text):
            raise ValueError(f"position {position} is outside the text's {len(text)} characters")
        row = units[position]
    order = np.argsort(-row)[:k]
    return [{"unit": int(i), "value": float(row[i])} for i in order if row[i] > 0], note
