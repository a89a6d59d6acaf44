"""Byte-level LM + SAE benchmark (sae_core.lm), from nothing, on one torch thread: the time to train the
default LM and its SAE, the LM's held-out bits/char, the SAE's FVE and L0 on held-out characters, and how
much more often latents are monosemantic (purity ≥ 0.9) than MLP neurons.

Run: `.venv/bin/python bench/lm_bench.py` (writes the "lm" section of BENCHMARKS.md; about 5 minutes);
`... lm_bench.py --runs N` trains N times from nothing (seeds 0…N−1) and reports medians;
`... lm_bench.py --print` prints the section instead of writing it;
`... lm_bench.py --top-sweep FOLDER` prints, for a model already trained in FOLDER, the share of neurons and of latents
with purity ≥ 0.9 when a unit's top is its k strongest activations, for several k (one pass over the held-out text).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import write_section  # noqa: E402
from sae_core.lm import LMSAE, RunConfig, analyse, load_corpus, load_lm, train_all  # noqa: E402
from sae_core.lm.heldout import DEFAULT_MAX_CHARS as HELDOUT_CHARS  # noqa: E402
from sae_core.models import SPECS  # noqa: E402
from sae_core.lm.heldout import bits_per_char  # noqa: E402

TARGETS = {"seconds": 300.0, "bits_per_char": 2.2, "fve": 0.85, "l0": 20.0, "ratio": 5.0}


def one_run(seed: int) -> dict:
    config = RunConfig(seed=seed)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        pipe = train_all(tmp, config)
        seconds = time.perf_counter() - started
        lm = load_lm(tmp)
        sae = LMSAE.load(Path(tmp) / "sae")
        corpus = load_corpus(config.corpus_cap)
        bpc = bits_per_char(lm, corpus.heldout)
        a = analyse(lm, sae, corpus.heldout)
    c = a.comparison
    return {"seed": seed, "seconds": seconds, "stages": pipe.timings, "bits_per_char": bpc, "fve": a.fve,
            "l0": a.l0, "dead": a.dead_fraction, "neurons_pure": c["neurons"]["pure_share"],
            "latents_pure": c["latents"]["pure_share"], "ratio": c["ratio"],
            "neurons_median": c["neurons"]["median_purity"], "latents_median": c["latents"]["median_purity"],
            "chars": a.chars}


SWEEP_K = (20, 50, 100, 200, 500, 1000)


def top_sweep(folder: str) -> list[dict]:
    """Pure shares of neurons and latents for each k of SWEEP_K and the default top fraction, from one pass: the k
    strongest of a unit are the first k rows of its strongest k_max (TopActivations keeps them sorted)."""
    import numpy as np

    from sae_core.lm.analysis import DEFAULT_MAX_CHARS, held_out_texts
    from sae_core.lm.labels import char_labels
    from sae_core.lm.monosemanticity import TopActivations, purity_from_top, top_k_for

    lm, sae = load_lm(folder), LMSAE.load(Path(folder) / "sae")
    texts = [t for t in held_out_texts(load_corpus(RunConfig().corpus_cap).heldout, DEFAULT_MAX_CHARS) if t]
    n = sum(len(t) for t in texts)
    ks = sorted({*SWEEP_K, top_k_for(n)})
    tops = {"neurons": TopActivations(lm.d_mlp, ks[-1]), "latents": TopActivations(sae.d_sae, ks[-1])}
    labels = []
    for t in texts:
        acts = lm.mlp_activations(t)
        tops["neurons"].update(acts)
        tops["latents"].update(sae.encode(acts))
        labels.append(char_labels(t).matrix())
    labels = np.concatenate(labels)
    rows = []
    for k in ks:
        row = {"k": k, "chars": n}
        for name, top in tops.items():
            cut = TopActivations(top.values.shape[1], k)
            cut.values, cut.positions = top.values[:k], top.positions[:k]
            row[name] = purity_from_top(cut, labels).pure_share()
        row["ratio"] = row["latents"] / row["neurons"] if row["neurons"] else None
        rows.append(row)
    return rows


def body(runs: list[dict], config: RunConfig) -> str:
    med = {k: statistics.median(r[k] for r in runs if r[k] is not None) if any(r[k] is not None for r in runs)
           else None for k in ("seconds", "bits_per_char", "fve", "l0", "dead", "neurons_pure", "latents_pure",
                               "ratio", "neurons_median", "latents_median")}
    stages = {s: statistics.median(r["stages"].get(s, 0.0) for r in runs) for s in runs[0]["stages"]}
    ok = lambda good: "✅" if good else "❌"  # noqa: E731
    lm, hp, sae = config.lm, config.lm_hp, config.sae
    hp_sae = sae.hparams()
    knobs = ", ".join(f"{k.param} = {getattr(hp_sae, k.param):g}" for k in SPECS[sae.arch].knobs) or "no knobs"
    ratio = "∞ (no pure neuron)" if med["ratio"] is None else f"{med['ratio']:.2f}×"
    lines = [
        f"## Byte-level LM and its SAE (CPU, 1 torch thread, {len(runs)} run{'s' * (len(runs) > 1)} from nothing)",
        "",
        "| what | measured (median) | target | |",
        "|---|---|---|---|",
        f"| default LM + SAE from nothing (corpus, LM, activations, SAE, saving) | {med['seconds']:.0f} s "
        f"({', '.join(f'{k} {v:.0f} s' for k, v in stages.items())}) | ≤ 300 s | {ok(med['seconds'] <= 300)} |",
        f"| held-out bits/char | {med['bits_per_char']:.3f} | ≤ 2.2 | {ok(med['bits_per_char'] <= 2.2)} |",
        f"| SAE FVE on held-out characters | {med['fve']:.3f} at L0 {med['l0']:.1f} (dead {med['dead']:.1%}) | "
        f"≥ 0.85 at L0 ≤ 20 | {ok(med['fve'] >= 0.85 and med['l0'] <= 20)} |",
        f"| units with purity ≥ 0.9: latents / neurons, and their ratio (median over runs) | "
        f"{med['latents_pure']:.1%} / {med['neurons_pure']:.1%}; ratio {ratio} | ≥ 5× | "
        f"{ok(med['ratio'] is None or med['ratio'] >= 5)} |",
        f"| median purity: latents / neurons | {med['latents_median']:.3f} / {med['neurons_median']:.3f} | | |",
        "",
        f"The default configuration: a {lm.n_layers}-layer byte-level transformer (d_model {lm.d_model}, "
        f"{lm.n_heads} heads, MLP {lm.d_mlp}, context {lm.context}) trained {hp.steps:,} steps of {hp.batch_size} "
        f"windows on {config.corpus_cap / 1e6:g} MB of the standard library; a {sae.arch} SAE "
        f"({sae.d_sae(lm.d_mlp):,} latents, {knobs}) trained {sae.steps} steps of "
        f"{sae.batch_size} on {sae.samples:,} activation rows. Bits/char: the first {HELDOUT_CHARS:,} held-out "
        "characters; "
        f"FVE, L0, dead latents and purity: the first {runs[0]['chars']:,}. Purity: among each unit's top 0.5% "
        "activations, the largest share of one tokenize kind (sae_core/lm/monosemanticity.py); units without "
        "enough positive activations count as not pure. Per-run figures: "
        + "; ".join(f"seed {r['seed']}: {r['seconds']:.0f} s, {r['bits_per_char']:.3f} bits/char, FVE {r['fve']:.3f}, "
                    f"pure {r['latents_pure']:.1%} / {r['neurons_pure']:.1%}" for r in runs)
        + ". Times are wall-clock on one torch thread, on a machine whose other core was busy with other work.",
    ]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--print", action="store_true")
    ap.add_argument("--top-sweep", metavar="FOLDER")
    args = ap.parse_args()
    torch.set_num_threads(1)
    if args.top_sweep:
        for row in top_sweep(args.top_sweep):
            print(json.dumps(row))
        return
    runs = []
    for seed in range(args.runs):
        runs.append(one_run(seed))
        print(json.dumps(runs[-1]), flush=True)
    text = body(runs, RunConfig())
    command = "python bench/lm_bench.py" + (f" --runs {args.runs}" if args.runs > 1 else "")
    if args.print:
        print(text)
    else:
        write_section("lm", command, text)


if __name__ == "__main__":
    main()
