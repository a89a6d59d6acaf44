"""Run inside .venv-saelens (SAELens 6.54.12), never imported by the app's tests.

    python saelens_side.py JOBS.json

Each job is {"do": "load" | "make", ...}; results are written where each job says. "load" reads a folder
with SAELens' own `SAE.load_from_disk` and saves its encode/decode outputs; "make" builds a SAELens
training SAE with seeded random weights, saves it with `save_model` or `save_inference_model`, and saves
the outputs SAELens itself computes for the saved file. A job that fails records its error instead.
"""

import json
import sys
import traceback
from pathlib import Path

import numpy as np
import torch
from sae_lens import SAE
from sae_lens.registry import get_sae_training_class


def outputs(sae, x: np.ndarray) -> dict:
    with torch.no_grad():
        f = sae.encode(torch.as_tensor(x))
        return {"f": f.float().numpy(), "x_hat": sae.decode(f).float().numpy()}


def load(job: dict) -> dict:
    sae = SAE.load_from_disk(job["folder"])
    result = outputs(sae, np.load(job["inputs"]))
    if job.get("fold_W_dec_norm"):  # decoder rows already have unit norm: folding must change nothing
        folded = SAE.load_from_disk(job["folder"], fold_W_dec_norm=True)
        result.update({f"folded_{k}": v for k, v in outputs(folded, np.load(job["inputs"])).items()})
    return result


def make(job: dict) -> dict:
    torch.manual_seed(job.get("seed", 0))
    sae_cls, cfg_cls = get_sae_training_class(job["architecture"])
    cfg = cfg_cls(d_in=job["d_in"], d_sae=job["d_sae"], **job.get("cfg", {}))
    sae = sae_cls(cfg)
    with torch.no_grad():
        for name, p in sae.named_parameters():
            p.copy_(torch.randn_like(p) * (0.5 if name.startswith("W") else 0.1))
        if hasattr(sae, "threshold"):
            sae.threshold.copy_(torch.rand_like(sae.threshold) * 0.3 + 0.05)
        if hasattr(sae, "topk_threshold"):
            sae.topk_threshold = torch.tensor(0.2)
    folder = Path(job["folder"])
    if job["save"] == "inference":
        sae.save_inference_model(folder)
        reference = SAE.load_from_disk(folder)
    else:
        sae.save_model(folder)
        # What SAELens computes for this file: its own loader, or, for training-only architectures
        # (batchtopk), the inference model SAELens would export from it.
        try:
            reference = SAE.load_from_disk(folder)
        except KeyError:
            sae.save_inference_model(folder.with_name(folder.name + "_inference"))
            reference = SAE.load_from_disk(folder.with_name(folder.name + "_inference"))
    return outputs(reference, np.load(job["inputs"]))


def main() -> None:
    jobs = json.loads(Path(sys.argv[1]).read_text())
    for job in jobs:
        try:
            result = {"load": load, "make": make}[job["do"]](job)
            np.savez(job["out"], **result)
        except Exception as err:  # noqa: BLE001 - reported to the test, which decides what it means
            Path(job["out"]).with_suffix(".error").write_text(f"{type(err).__name__}: {err}\n{traceback.format_exc()}")


if __name__ == "__main__":
    main()
