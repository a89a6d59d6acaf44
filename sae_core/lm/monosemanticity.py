"""Monosemanticity: how much of a unit's strongest activity falls on one kind of character.

For each unit (an MLP neuron or an SAE latent) take its top activations over the evaluated characters —
the largest TOP_FRACTION of them, positive ones only (a latent's top is where it fires) — and count the
labels (labels.py) of those characters. A unit's *label shares* are the fractions of its top characters
carrying each label; its *best label* and *purity* are the tokenize kind with the largest share and that
share (kinds partition the characters, so purity is between 1/len(KINDS) and 1). A unit with fewer than
MIN_SUPPORT top characters has no purity (NaN): it counts as not pure.

Shapes: activations [n_chars, n_units]; labels [n_chars, len(LABELS)] bool; shares [n_units, len(LABELS)].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from sae_core.lm.labels import FLAGS, KINDS

TOP_FRACTION = 0.005  # a unit's top 0.5% of characters
PURE = 0.9  # purity at which a unit counts as monosemantic
MIN_SUPPORT = 5


class TopActivations:
    """The k largest positive activations of every unit over a stream of chunks, with their positions.

    values, positions: [k, n_units]; −inf and −1 where fewer than k positive activations were seen."""

    def __init__(self, n_units: int, k: int):
        if k < 1:
            raise ValueError("k must be at least 1")
        self.k = k
        self.values = torch.full((k, n_units), -torch.inf)
        self.positions = torch.full((k, n_units), -1, dtype=torch.long)
        self.seen = 0

    def update(self, acts) -> None:
        """Add the next rows (positions seen, seen + 1, …). acts [m, n_units]"""
        acts = torch.as_tensor(np.asarray(acts, dtype=np.float32) if not torch.is_tensor(acts) else acts).float()
        m = acts.shape[0]
        pos = torch.arange(self.seen, self.seen + m)[:, None].expand(m, acts.shape[1])
        values = torch.cat([self.values, torch.where(acts > 0, acts, -torch.inf)])
        positions = torch.cat([self.positions, pos])
        top = torch.topk(values, self.k, dim=0)
        self.values, self.positions = top.values, torch.gather(positions, 0, top.indices)
        self.seen += m


@dataclass
class UnitPurity:
    shares: np.ndarray  # [n_units, len(LABELS)] share of each label among the unit's top characters
    best: np.ndarray  # [n_units] index into KINDS of the best kind (−1 without support)
    purity: np.ndarray  # [n_units] the best kind's share; NaN without support
    support: np.ndarray  # [n_units] top characters counted

    def best_label(self, unit: int) -> str | None:
        return KINDS[self.best[unit]] if self.best[unit] >= 0 else None

    def best_flag(self, unit: int) -> tuple[str, float]:
        """The character class with the largest share among the unit's top characters, and that share."""
        flag_shares = self.shares[unit, len(KINDS):]
        i = int(np.argmax(flag_shares))
        return FLAGS[i], float(flag_shares[i])

    def pure_share(self, threshold: float = PURE) -> float:
        """Fraction of all units with purity ≥ threshold (units without support count as not pure)."""
        return float(np.mean(np.nan_to_num(self.purity, nan=-1.0) >= threshold)) if len(self.purity) else 0.0


def top_k_for(n_chars: int, top_fraction: float = TOP_FRACTION) -> int:
    return max(1, int(round(top_fraction * n_chars)))


def purity_from_top(top: TopActivations, labels: np.ndarray) -> UnitPurity:
    """Label shares, best kind and purity from the top activations; labels [n_chars, len(LABELS)] bool."""
    labels = np.asarray(labels, dtype=bool)
    pos = top.positions.numpy()  # [k, n_units]
    valid = pos >= 0
    support = valid.sum(axis=0)
    gathered = labels[np.where(valid, pos, 0)]  # [k, n_units, n_labels]
    counts = (gathered & valid[:, :, None]).sum(axis=0).astype(np.float64)  # [n_units, n_labels]
    shares = counts / np.maximum(support, 1)[:, None]
    kind_shares = shares[:, :len(KINDS)]
    best = np.argmax(kind_shares, axis=1)
    purity = kind_shares[np.arange(len(best)), best]
    enough = support >= MIN_SUPPORT
    return UnitPurity(shares, np.where(enough, best, -1), np.where(enough, purity, np.nan), support)


def unit_purity(acts, labels: np.ndarray, top_fraction: float = TOP_FRACTION) -> UnitPurity:
    """The same for activations held in memory. acts [n_chars, n_units]; labels [n_chars, len(LABELS)]"""
    top = TopActivations(np.shape(acts)[1], top_k_for(np.shape(acts)[0], top_fraction))
    top.update(acts)
    return purity_from_top(top, labels)


def summary(p: UnitPurity, threshold: float = PURE) -> dict:
    """Plain figures for one set of units: median purity, share ≥ threshold, most common best kinds."""
    scored = p.purity[~np.isnan(p.purity)]
    kinds, counts = np.unique(p.best[p.best >= 0], return_counts=True)
    order = np.argsort(-counts)[:5]
    return {"units": int(len(p.purity)), "scored": int(len(scored)),
            "median_purity": float(np.median(scored)) if len(scored) else None,
            "pure_share": p.pure_share(threshold),
            "top_best_labels": {KINDS[int(kinds[i])]: int(counts[i]) for i in order}}


def compare(neurons: UnitPurity, latents: UnitPurity, threshold: float = PURE, bins: int = 20) -> dict:
    """Neurons and latents side by side: purity histograms on [0, 1] (one shared set of edges), summaries, and
    the headline ratio = share of latents with purity ≥ threshold / share of neurons with it (None if no neuron)."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    hist = {name: np.histogram(p.purity[~np.isnan(p.purity)], bins=edges)[0].tolist()
            for name, p in (("neurons", neurons), ("latents", latents))}
    n_share, l_share = neurons.pure_share(threshold), latents.pure_share(threshold)
    return {"threshold": threshold, "edges": edges.tolist(), "histogram": hist,
            "neurons": summary(neurons, threshold), "latents": summary(latents, threshold),
            "ratio": (l_share / n_share) if n_share > 0 else None}
