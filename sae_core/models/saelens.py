"""SAELens' cfg.json, both ways: what an exported file says, and how a SAELens file becomes a model here.

Checked against SAELens 6.54.12 (`sae_lens/saes/`). Export writes SAELens' architecture names and a
current metadata block, so `SAE.load_from_disk` reads the file as a 6.x SAE. Import honours every
field that changes what a SAELens SAE computes, by folding it into the weights, or refuses the file with
a message naming the field:

- `apply_b_dec_to_input: false` — pre = x·W_enc + b_enc = (x − b_dec)·W_enc + (b_enc + b_dec·W_enc);
- `rescale_acts_by_decoder_norm: true` (TopK, BatchTopK) — SAELens ranks pre·‖W_dec_j‖ and decodes
  (f/‖W_dec_j‖)·W_dec: the same as W_enc_j·‖W_dec_j‖, b_enc_j·‖W_dec_j‖ and unit decoder rows;
- `normalize_activations` — "none" only: "layer_norm", "constant_norm_rescale" and
  "covariance_whitening" act per input or need statistics the file lacks, and "expected_average_only_in"
  means a training checkpoint whose scaling factor was never folded in;
- `dtype` — float32 and float64 load as they are; float16 and bfloat16 weights are exact in float32,
  and are computed in float32 here (SAELens computes in the stored dtype, so outputs differ by its rounding);
- `architecture` — standard, topk, jumprelu, and batchtopk (a training checkpoint: at inference SAELens
  uses its learned global threshold as a JumpReLU, and so does this loader); others are refused.
"""

from __future__ import annotations

import math
from dataclasses import asdict

import torch

from sae_core.models import SPECS, SAE, HParams

SAELENS_VERSION = "6.54.12"  # the release whose format the export follows and the tests load with
PLAYGROUND_KEY = "sae_playground"  # our own facts, inside SAELens' free-form metadata
FORMAT_VERSION = 2  # 1: before SAELens names and units (still read)
FLOAT_DTYPES = {"float32", "float64", "float16", "bfloat16"}
FROM_SAELENS = {"standard": "relu", "topk": "topk", "jumprelu": "jumprelu", "batchtopk": "jumprelu"}
REFUSED = {
    "gated": "its encoder has a second, magnitude path (r_mag, b_mag) that no architecture here computes",
    "abstopk": "it keeps the k largest |pre-activations| with their signs, which no architecture here computes",
}


def export_config(model: SAE, hp: HParams, input_scale: float, extra: dict | None = None) -> dict:
    """cfg.json for `model`: SAELens' names where SAELens has the architecture, our own facts in metadata."""
    spec = SPECS[model.architecture]
    return {
        "architecture": spec.saelens_name or model.architecture,
        "d_in": model.d_in,
        "d_sae": model.d_sae,
        "dtype": "float32",
        "device": "cpu",
        "apply_b_dec_to_input": True,
        "normalize_activations": "none",  # the input scale is folded into the weights (SAE.export_tensors)
        "reshape_activations": "none",
        **model.extra_config(hp),
        "metadata": {
            "sae_lens_version": SAELENS_VERSION,
            "sae_lens_training_version": SAELENS_VERSION,
            PLAYGROUND_KEY: {"format": FORMAT_VERSION, "architecture": model.architecture,
                             "folded_input_scale": input_scale, "hparams": asdict(hp), **(extra or {})},
        },
    }


def playground_facts(cfg: dict) -> dict:
    """What an export from here recorded about itself ({} for files from elsewhere)."""
    meta = cfg.get("metadata")
    facts = meta.get(PLAYGROUND_KEY) if isinstance(meta, dict) else None
    if isinstance(facts, dict):
        return facts
    if cfg.get("sae_playground_format") == 1:  # format 1 kept its facts at the top level
        return {"format": 1, "architecture": cfg.get("architecture"), "hparams": cfg.get("hparams", {})}
    return {}


def _shown(value) -> str:
    """A value from the file for a message: a tampered one may be megabytes long."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def architecture_here(cfg: dict) -> str:
    """The architecture of this playground that computes what `cfg` describes; ValueError if none does."""
    arch = cfg.get("architecture")
    ours = playground_facts(cfg).get("architecture")
    if not isinstance(arch, str):  # a list or object would also be unhashable in the lookups below
        raise ValueError(f"cfg.json's architecture must be a name, not {_shown(arch)}")
    if not isinstance(ours, str):
        ours = None
    if ours in SPECS and (ours == arch or SPECS[ours].saelens_name == arch):
        return ours
    if arch in FROM_SAELENS:
        return FROM_SAELENS[arch]
    if arch in REFUSED:
        raise ValueError(f"cfg.json has architecture '{arch}', which cannot be loaded here: {REFUSED[arch]}")
    known = ", ".join(sorted(set(FROM_SAELENS) | set(SPECS)))
    raise ValueError(f"unknown architecture {_shown(arch)} in cfg.json; this playground loads {known}")


def check_fields(cfg: dict) -> list[str]:
    """Refuse what cannot be honoured; return notes on what was honoured in a way worth saying."""
    notes = []
    norm = cfg.get("normalize_activations", "none")
    if norm is None or norm is False:
        norm = "none"
    if norm != "none":
        why = ("the scaling factor it needs is not in the file (SAELens folds it into the weights at the end of "
               "training); fold it and save again" if norm in ("expected_average_only_in", True) else
               "it normalises each input on the fly, which the weights cannot hold")
        raise ValueError(f"cfg.json has normalize_activations {_shown(norm)}: {why}")
    dtype = str(cfg.get("dtype", "float32")).removeprefix("torch.")
    if dtype not in FLOAT_DTYPES:
        raise ValueError(f"cfg.json has dtype {_shown(cfg.get('dtype'))}; this loader reads "
                         f"{', '.join(sorted(FLOAT_DTYPES))}")
    if dtype in ("float16", "bfloat16"):
        notes.append(f"stored as {dtype}, computed here in float32 (SAELens computes in {dtype})")
    if cfg.get("reshape_activations", "none") not in ("none", None):
        raise ValueError(f"cfg.json has reshape_activations {_shown(cfg['reshape_activations'])}: inputs here are "
                         "flat vectors of d_in values")
    return notes


@torch.no_grad()
def fold_into_weights(cfg: dict, tensors: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Tensors (float32) that compute, with b_dec subtracted from the input and unit-free decoder rows,
    exactly what the SAELens SAE described by `cfg` computes."""
    t = {name: value.float() for name, value in tensors.items()}
    if "log_threshold" in t and "threshold" not in t:  # older SAELens JumpReLU checkpoints
        t["threshold"] = t.pop("log_threshold").exp()
    if cfg.get("architecture") == "batchtopk":
        if "topk_threshold" not in t:
            raise ValueError("a batchtopk checkpoint needs its topk_threshold tensor")
        threshold = t.pop("topk_threshold").reshape(-1)
        if threshold.numel() != 1:
            raise ValueError(f"topk_threshold must hold one number, it holds {threshold.numel()}")
        t["threshold"] = torch.full((int(cfg["d_sae"]),), float(threshold[0]))
    if cfg.get("apply_b_dec_to_input", True) is False:
        t["b_enc"] = t["b_enc"] + t["b_dec"] @ t["W_enc"]
    if cfg.get("architecture") in ("topk", "batchtopk") and cfg.get("rescale_acts_by_decoder_norm", False):
        norms = t["W_dec"].norm(dim=1).clamp_min(1e-8)
        t["W_enc"] = t["W_enc"] * norms
        t["b_enc"] = t["b_enc"] * norms
        t["W_dec"] = t["W_dec"] / norms[:, None]
    return t


def _recorded_hparams(cfg: dict) -> dict:
    """Our own record of the knobs, each checked: the model and the pages compute with them as they are."""
    recorded = playground_facts(cfg).get("hparams") or {}
    if not isinstance(recorded, dict):
        raise ValueError(f"cfg.json's recorded hparams must be a JSON object, not {_shown(recorded)}")
    defaults = HParams()
    checked = {}
    for name, value in recorded.items():
        if name not in HParams.__dataclass_fields__:
            continue  # a knob of another version of the playground
        whole = isinstance(getattr(defaults, name), int)
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        finite = number and abs(value) < 1e300 and math.isfinite(value)  # JSON integers may have 4,000 digits
        if not finite or value < 0 or (whole and (value != int(value) or value < 1)):
            kind = "a whole number from 1" if whole else "a finite number ≥ 0"
            raise ValueError(f"cfg.json records hparams {name} = {_shown(value)}; it must be {kind}")
        checked[name] = int(value) if whole else float(value)
    return checked


def hparams_from(cfg: dict) -> HParams:
    """The inference-relevant knobs of a file (k for TopK), over our own record where there is one."""
    hp = HParams(**_recorded_hparams(cfg))
    if "k" in cfg and cfg.get("architecture") != "batchtopk":  # BatchTopK's k (a float) only acts in training
        k = cfg["k"]
        if type(k) is not int or not 0 < k <= int(cfg["d_sae"]):  # type(): True is an int too
            raise ValueError(f"cfg.json has k = {_shown(k)}; it must be a whole number from 1 to d_sae")
        hp.k = k
    return hp
