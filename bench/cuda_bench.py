"""The engine on a CUDA device, for a machine that has one (the app never needs it): each architecture's
training step under each precision, ours against SAELens' at the CPU benchmark's shapes, and the quality
`--precision auto` reaches there against fp32 on the CPU.

    python bench/cuda_bench.py            # prints a Markdown section; writes nothing

On a machine without CUDA it says so and exits 0.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.engine_bench import SAELENS_PYTHON, SAELENS_SHAPES, our_step_ms, saelens_step_ms  # noqa: E402
from sae_core.data import load_dataset  # noqa: E402
from sae_core.models import build  # noqa: E402
from sae_core.training.precision import resolve  # noqa: E402
from sae_core.training.presets import default_hparams  # noqa: E402
from sae_core.training.trainer import Trainer  # noqa: E402

ARCHS = ("relu", "topk", "jumprelu", "kl")
QUALITY_STEPS = 600
QUALITY_LATENTS = 256


def quality(arch: str, x: np.ndarray, device: str, precision: str) -> tuple[float, float]:
    """(FVE, L0) on all of x after the preset's training for QUALITY_STEPS steps, seed 0, evaluated in fp32."""
    hp, _ = default_hparams(arch, "images")
    trainer = Trainer(build(arch, x.shape[1], QUALITY_LATENTS, seed=0), x, hp, seed=0, device=device,
                      precision=precision)
    trainer.step(QUALITY_STEPS, snapshot=False)
    ev = trainer.evaluate(x)
    return ev.fve, ev.l0


def main() -> None:
    if not torch.cuda.is_available():
        print("No CUDA device here: nothing to measure.")
        return
    name = torch.cuda.get_device_name(0)
    lines = [f"## SAE engine on CUDA ({name}, torch {torch.__version__})", ""]

    d, m, batch = 784, 1024, 4096
    lines += [f"Training step, batch {batch}, {d} → {m} (median ms; auto = "
              f"{resolve('auto', torch.device('cuda'), d * m)} at this size):", "",
              "| architecture | fp32 | tf32 | bf16 | auto |", "|---|---|---|---|---|"]
    for arch in ARCHS:
        times = {p: our_step_ms(arch, batch, d, m, p, 20, 5, device="cuda") for p in ("fp32", "tf32", "bf16", "auto")}
        lines.append(f"| {arch} | " + " | ".join(f"{times[p]:.2f}" for p in ("fp32", "tf32", "bf16", "auto")) + " |")

    if SAELENS_PYTHON.exists():
        lines += ["", "Against SAELens 6.54.12's step on the same device (its fp32 default; ours on auto):", "",
                  "| shape | SAELens | ours, auto | speed-up |", "|---|---|---|---|"]
        for arch, b, dd, mm in SAELENS_SHAPES:
            try:
                theirs = saelens_step_ms(arch, b, dd, mm, 20, 5, device="cuda")
            except subprocess.CalledProcessError as err:  # e.g. that venv's torch is a CPU build
                lines.append(f"| SAELens' step could not run on CUDA: {err.stderr.strip().splitlines()[-1][:120]} |"
                             " | | |")
                break
            ours = our_step_ms(arch, b, dd, mm, "auto", 20, 5, device="cuda")
            lines.append(f"| {arch}, batch {b}, {dd} → {mm} | {theirs:.2f} ms | {ours:.2f} ms | "
                         f"**{theirs / ours:.2f}×** |")

    x = load_dataset("mnist").x
    lines += ["", f"Quality after {QUALITY_STEPS} steps of each preset on MNIST-5k, {QUALITY_LATENTS} latents, seed 0 "
              "(evaluation in fp32):", "",
              "| architecture | CPU fp32: FVE / L0 | CUDA auto: FVE / L0 | CUDA fp32: FVE / L0 |", "|---|---|---|---|"]
    for arch in ARCHS:
        cells = [quality(arch, x, dev, p) for dev, p in (("cpu", "fp32"), ("cuda", "auto"), ("cuda", "fp32"))]
        lines.append(f"| {arch} | " + " | ".join(f"{fve:.3f} / {l0:.1f}" for fve, l0 in cells) + " |")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
