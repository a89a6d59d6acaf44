"""Command line: `python -m sae_core lm train --out DIR` and `python -m sae_core lm eval --model DIR`.

Each prints one JSON line on stdout; progress goes to stderr. Every size has an option, so a test can
train a tiny configuration in seconds.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import torch

from sae_core.models import SPECS
from sae_core.lm.analysis import DEFAULT_MAX_CHARS, analyse
from sae_core.lm.corpus import DEFAULT_CAP_BYTES, load_corpus
from sae_core.lm.heldout import DEFAULT_MAX_CHARS as HELDOUT_CHARS
from sae_core.lm.heldout import bits_per_char
from sae_core.lm.model import LMConfig
from sae_core.lm.persistence import LMFileError, load_lm, read_meta
from sae_core.lm.pipeline import SAE_FOLDER, FolderBusy, RunConfig, train_all
from sae_core.lm.sae import LMSAE, SAEPlan
from sae_core.lm.trainer import LMHParams


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m sae_core lm",
                                description="A byte-level LM on the standard library, and SAEs on its MLP.")
    sub = p.add_subparsers(dest="command", required=True)
    lm, hp, plan = LMConfig(), LMHParams(), SAEPlan()
    t = sub.add_parser("train", help="train the LM and an SAE on its MLP activations into a folder",
                       formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    t.add_argument("--out", required=True, help="folder for the LM (lm.safetensors, lm.json) and sae/ (SAELens)")
    t.add_argument("--corpus-cap", type=int, default=DEFAULT_CAP_BYTES, help="bytes of training files")
    t.add_argument("--d-model", type=int, default=lm.d_model)
    t.add_argument("--heads", type=int, default=lm.n_heads)
    t.add_argument("--d-mlp", type=int, default=lm.d_mlp)
    t.add_argument("--layers", type=int, default=lm.n_layers)
    t.add_argument("--context", type=int, default=lm.context)
    t.add_argument("--steps", type=int, default=hp.steps, help="LM optimiser steps")
    t.add_argument("--batch-size", type=int, default=hp.batch_size, help="LM windows per step")
    t.add_argument("--lr", type=float, default=hp.lr, help="LM peak learning rate")
    t.add_argument("--arch", default=plan.arch, choices=list(SPECS), help="SAE architecture")
    t.add_argument("--latents", type=int, help="SAE latents (default 4·d_mlp; 64 for ae)")
    t.add_argument("--sae-steps", type=int, default=plan.steps)
    t.add_argument("--sae-batch-size", type=int, default=plan.batch_size)
    t.add_argument("--sae-lr", type=float, help="SAE learning rate (default: the architecture's preset)")
    t.add_argument("--samples", type=int, default=plan.samples, help="activation rows the SAE trains on")
    for knob in ("l1", "k", "l0_coef", "rho", "beta"):
        t.add_argument(f"--{knob.replace('_', '-')}", dest=knob, type=int if knob == "k" else float,
                       help=f"SAE knob {knob} (default: sae_core.lm.sae.LM_KNOBS, else the preset)")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--threads", type=int, help="torch threads (default: torch's own choice)")

    e = sub.add_parser("eval", help="bits/char on held-out files, the SAE's FVE and L0, neurons' and latents' purity")
    e.add_argument("--model", required=True, help="a folder written by `lm train`")
    e.add_argument("--eval-chars", type=int, default=DEFAULT_MAX_CHARS,
                   help="held-out characters for FVE, L0 and purity")
    e.add_argument("--heldout-chars", type=int, default=HELDOUT_CHARS, help="held-out characters for bits/char")
    e.add_argument("--threads", type=int)
    return p


def _config(args) -> RunConfig:
    knobs = {k: getattr(args, k) for k in ("l1", "k", "l0_coef", "rho", "beta") if getattr(args, k) is not None}
    return RunConfig(
        lm=LMConfig(d_model=args.d_model, n_heads=args.heads, d_mlp=args.d_mlp, n_layers=args.layers,
                    context=args.context),
        lm_hp=LMHParams(steps=args.steps, batch_size=args.batch_size, lr=args.lr),
        sae=SAEPlan(arch=args.arch, latents=args.latents, steps=args.sae_steps, batch_size=args.sae_batch_size,
                    samples=args.samples, lr=args.sae_lr, knobs=knobs),
        corpus_cap=args.corpus_cap, seed=args.seed)


def train(args) -> dict:
    config = _config(args)
    started = time.perf_counter()
    last = [0.0]

    def report(p) -> None:
        if time.perf_counter() - last[0] > 2 or p.finished:
            print(f"[{p.seconds:6.1f} s] {p.stage}: {p.message}", file=sys.stderr, flush=True)
            last[0] = time.perf_counter()

    pipe = train_all(args.out, config, report)
    meta = read_meta(args.out)
    return {"out": str(args.out), "seconds": round(time.perf_counter() - started, 3),
            "stage_seconds": {k: round(v, 3) for k, v in pipe.timings.items()},
            "lm_train_seconds": meta.get("train_seconds"), "sae_train_seconds": meta.get("sae_train_seconds"),
            "heldout_bits_per_char": meta.get("heldout_bits_per_char"), "d_mlp": config.lm.d_mlp,
            "arch": config.sae.arch, "latents": config.sae.d_sae(config.lm.d_mlp), "corpus": meta.get("corpus")}


def _finite(value):
    return value if not isinstance(value, float) or math.isfinite(value) else None


def evaluate(args) -> dict:
    folder = Path(args.model)
    lm = load_lm(folder)
    meta = read_meta(folder)
    cap = (meta.get("run") or {}).get("corpus_cap", DEFAULT_CAP_BYTES)
    corpus = load_corpus(int(cap))
    sae = LMSAE.load(folder / SAE_FOLDER)
    started = time.perf_counter()
    bpc = bits_per_char(lm, corpus.heldout, args.heldout_chars)
    a = analyse(lm, sae, corpus.heldout, args.eval_chars)
    result = {"bits_per_char": bpc, **a.as_dict(), "arch": sae.model.architecture, "sae_latents": sae.d_sae,
              "d_mlp": lm.d_mlp, "seconds": round(time.perf_counter() - started, 3)}
    return {k: _finite(v) for k, v in result.items()}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    try:
        result = train(args) if args.command == "train" else evaluate(args)
    except (LMFileError, ValueError, FileNotFoundError, FolderBusy) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0
