"""What the language-model page reads to answer a pick at once: every unit's activations over a stretch of
held-out text, computed once after training and kept on disk beside the model (`browse.npz`, `browse.json`).

Running the LM over the text at each pick took seconds; read from here a unit's top contexts and histogram take
milliseconds, with the same definitions as sae_core.lm.explore's top_contexts and activation_histogram (a test
holds them equal). Neurons are kept dense (float16, one row per neuron); latents, mostly zero, as one sparse
column each. Purity (neurons and latents, monosemanticity.py) comes from `analyse` over the default held-out text.

Shapes: neurons [d_mlp, n_chars] float16; latent j's (rows, values) = rows[indptr[j]:indptr[j+1]], values[...].
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from sae_core.lm.analysis import analyse, held_out_texts
from sae_core.lm.explore import Context
from sae_core.lm.labels import KINDS
from sae_core.lm.monosemanticity import UnitPurity

BROWSE_NPZ, BROWSE_JSON = "browse.npz", "browse.json"
BROWSE_CHARS = 30_000  # held-out characters a pick reads its contexts from (lm_journal.index_sizes)
FORMAT = 1
_PURITY = ("shares", "best", "purity", "support")


class BrowseFileError(ValueError):
    """browse.npz or browse.json is missing or damaged (it is rebuilt, never trusted)."""


@dataclass
class BrowseIndex:
    texts: list[str]  # the held-out files read, in order (contexts never cross two of them)
    neurons: np.ndarray  # [d_mlp, n_chars] float16
    indptr: np.ndarray  # [d_sae + 1] int64
    rows: np.ndarray  # [nnz] int32, character index of each latent's non-zero activation
    values: np.ndarray  # [nnz] float32
    neuron_purity: UnitPurity
    latent_purity: UnitPurity
    facts: dict  # fve, l0, dead_fraction, chars (of the purity analysis), comparison, browse_chars
    decoder: np.ndarray  # [d_sae, d_mlp] float32, each latent's direction over the neurons

    @property
    def d_mlp(self) -> int:
        return self.neurons.shape[0]

    @property
    def d_sae(self) -> int:
        return len(self.indptr) - 1

    def width(self, kind: str) -> int:
        return self.d_sae if kind == "latent" else self.d_mlp

    def purity(self, kind: str) -> UnitPurity:
        return self.latent_purity if kind == "latent" else self.neuron_purity

    def column(self, kind: str, unit: int) -> np.ndarray:
        """One unit's activation at every browsed character. [n_chars] float32"""
        if not 0 <= unit < self.width(kind):
            raise ValueError(f"{kind} {unit} does not exist; there are {self.width(kind)}")
        if kind == "neuron":
            return self.neurons[unit].astype(np.float32)
        out = np.zeros(self.neurons.shape[1], np.float32)
        a, b = self.indptr[unit], self.indptr[unit + 1]
        out[self.rows[a:b]] = self.values[a:b]
        return out

    def contexts(self, kind: str, unit: int, k: int = 10, width: int = 40) -> list[Context]:
        """As explore.top_contexts over `texts`: the k strongest positive activations, `width` characters either
        side, each within its own text."""
        column = self.column(kind, unit)
        found, start = [], 0
        for s, t in enumerate(self.texts):
            a = column[start:start + len(t)]
            for p in np.argsort(-a, kind="stable")[:k]:
                if a[p] > 0:
                    found.append((float(a[p]), s, int(p), start))
            start += len(t)
        found.sort(key=lambda item: -item[0])
        out = []
        for value, s, p, offset in found[:k]:
            a0, b0 = max(0, p - width), min(len(self.texts[s]), p + width + 1)
            out.append(Context(self.texts[s][a0:b0], column[offset + a0:offset + b0], p - a0, value, s, p))
        return out

    def histogram(self, kind: str, unit: int, bins: int = 30) -> dict:
        """As explore.activation_histogram: counts of the non-zero activations, and the share of zeros."""
        values = self.column(kind, unit)
        nonzero = values[values != 0]
        counts, edges = np.histogram(nonzero, bins=bins) if len(nonzero) else (np.zeros(bins, int),
                                                                                np.linspace(0, 1, bins + 1))
        return {"counts": counts.tolist(), "edges": edges.tolist(), "chars": int(len(values)),
                "zero_fraction": float(np.mean(values == 0)) if len(values) else 0.0, "note": None}

    def label_shares(self, kind: str, unit: int, n: int = 3) -> list[tuple[str, float]]:
        """The unit's largest tokenize-kind shares among its top characters, largest first."""
        shares = self.purity(kind).shares[unit, :len(KINDS)]
        order = np.argsort(-shares)[:n]
        return [(KINDS[i], float(shares[i])) for i in order if shares[i] > 0]

    def polysemantic_neuron(self) -> int:
        """The scored neuron whose top characters are most evenly spread over kinds (lowest purity; the one with
        more support on a tie)."""
        p = self.neuron_purity
        scored = np.flatnonzero(~np.isnan(p.purity))
        if not len(scored):
            return 0
        return int(min(scored, key=lambda i: (p.purity[i], -p.support[i], i)))

    def splitting_latents(self, neuron: int, n: int = 4, top: int = 200) -> list[int]:
        """The latents that take the neuron's activity apart: at its `top` strongest browsed characters, each latent's
        share of the neuron's reconstruction (its activation × its decoder weight on the neuron), summed; the largest
        first, one per best label, scored latents only."""
        column = self.column("neuron", neuron)
        mask = np.zeros(len(column), bool)
        mask[np.argsort(-column)[:top]] = True
        latent_of = np.repeat(np.arange(self.d_sae), np.diff(self.indptr))
        hit = mask[self.rows]
        contribution = np.zeros(self.d_sae)
        np.add.at(contribution, latent_of[hit], self.values[hit] * self.decoder[latent_of[hit], neuron])
        chosen, labels = [], set()
        for j in np.argsort(-contribution):
            label = self.latent_purity.best_label(int(j))
            if contribution[j] <= 0 or len(chosen) == n:
                break
            if label is not None and label not in labels:
                chosen.append(int(j))
                labels.add(label)
        return chosen

    def contribution(self, neuron: int, latent: int, top: int = 200) -> float:
        """The latent's summed share of the neuron's reconstruction at the neuron's `top` strongest characters."""
        column = self.column("neuron", neuron)
        positions = np.argsort(-column)[:top]
        return float(self.column("latent", latent)[positions].sum() * self.decoder[latent, neuron])


class SparseCodes:
    """Latent activations gathered chunk by chunk into BrowseIndex's layout: one sparse column per latent."""

    def __init__(self, d_sae: int):
        self.d_sae = d_sae
        self._chars, self._latents, self._values = [], [], []

    def add(self, f: np.ndarray, offset: int) -> None:
        """Codes of the characters offset, offset + 1, …  f [m, d_sae]"""
        r, c = np.nonzero(f)
        self._chars.append(r + offset)
        self._latents.append(c)
        self._values.append(f[r, c])

    def columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(indptr [d_sae + 1] int64, rows [nnz] int32, values [nnz] float32), latent by latent, each one's
        characters in order."""
        chars, latents, values = (np.concatenate(x) if x else np.zeros(0, np.int64)
                                  for x in (self._chars, self._latents, self._values))
        order = np.lexsort((chars, latents))
        indptr = np.concatenate([[0], np.cumsum(np.bincount(latents.astype(np.int64), minlength=self.d_sae))])
        return indptr.astype(np.int64), chars[order].astype(np.int32), values[order].astype(np.float32)


def build_browse(lm, sae, heldout_files, folder: Path, browse_chars: int = BROWSE_CHARS,
                 analysis_chars: int | None = None, progress: Callable[[str], None] | None = None) -> None:
    """Compute and save the index for this LM and SAE (minutes for the default model, on one core)."""
    say = progress or (lambda _what: None)
    texts = [t for t in held_out_texts(heldout_files, browse_chars) if t]
    say(f"reading {sum(len(t) for t in texts):,} held-out characters")
    acts = np.concatenate([lm.mlp_activations(t) for t in texts])
    say("encoding them with the SAE")
    codes = SparseCodes(sae.d_sae)
    for i in range(0, len(acts), 4096):  # in chunks: the dense [n, d_sae] codes would take hundreds of MB
        codes.add(sae.encode(acts[i:i + 4096]), i)
    indptr, nz_cols, values = codes.columns()
    say("measuring every unit's purity on held-out files")
    kwargs = {} if analysis_chars is None else {"max_chars": analysis_chars}
    a = analyse(lm, sae, heldout_files, **kwargs)
    arrays = {"neurons": acts.T.astype(np.float16), "indptr": indptr, "rows": nz_cols.astype(np.int32),
              "values": values, "decoder": sae.model.W_dec.detach().cpu().numpy().astype(np.float32),
              "lengths": np.array([len(t) for t in texts], np.int64)}
    for name, p in (("n", a.neurons), ("l", a.latents)):
        for part in _PURITY:
            arrays[f"{name}_{part}"] = getattr(p, part)
    facts = {"format": FORMAT, "fve": a.fve, "l0": a.l0, "dead_fraction": a.dead_fraction, "chars": a.chars,
             "comparison": a.comparison, "browse_chars": int(acts.shape[0]), "text": "".join(texts)}
    tmp = folder / f".browse.{os.getpid()}.tmp.npz"
    np.savez(tmp, **arrays)
    os.replace(tmp, folder / BROWSE_NPZ)
    tmp_json = folder / f".browse.{os.getpid()}.tmp.json"
    tmp_json.write_text(json.dumps(facts, allow_nan=True), encoding="utf-8")
    os.replace(tmp_json, folder / BROWSE_JSON)  # written last: its presence says the index is whole


def load_browse(folder: Path, d_mlp: int, d_sae: int) -> BrowseIndex:
    """The saved index, checked against the model's sizes; BrowseFileError if it is missing or does not fit."""
    try:
        facts = json.loads((folder / BROWSE_JSON).read_text(encoding="utf-8"))
        with np.load(folder / BROWSE_NPZ, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except (OSError, ValueError, KeyError) as err:
        raise BrowseFileError(f"the feature index cannot be read: {err}") from None
    try:
        if facts.get("format") != FORMAT:
            raise BrowseFileError("the feature index is of another format")
        lengths = arrays["lengths"]
        text = facts["text"]
        n = int(lengths.sum())
        if len(text) != n or arrays["neurons"].shape != (d_mlp, n) or arrays["indptr"].shape != (d_sae + 1,) \
                or arrays["decoder"].shape != (d_sae, d_mlp) or len(arrays["rows"]) != int(arrays["indptr"][-1]) \
                or (len(arrays["rows"]) and not 0 <= int(arrays["rows"].min()) <= int(arrays["rows"].max()) < n):
            raise BrowseFileError("the feature index does not fit this model")
        texts, start = [], 0
        for length in lengths:
            texts.append(text[start:start + int(length)])
            start += int(length)
        purity = {name: UnitPurity(*(arrays[f"{name}_{part}"] for part in _PURITY)) for name in ("n", "l")}
        if purity["n"].shares.shape[0] != d_mlp or purity["l"].shares.shape[0] != d_sae:
            raise BrowseFileError("the feature index's purity does not fit this model")
    except KeyError as err:
        raise BrowseFileError(f"the feature index lacks {err}") from None
    return BrowseIndex(texts, arrays["neurons"], arrays["indptr"], arrays["rows"], arrays["values"], purity["n"],
                       purity["l"], facts, arrays["decoder"])
