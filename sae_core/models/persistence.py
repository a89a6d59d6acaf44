"""Save and load SAEs in SAELens' folder layout: cfg.json + sae_weights.safetensors.

Weights are stored in the *original input space*: the normalisation factor s (E‖s·x‖² = d) is folded
in, so `W_enc`, `b_enc`, `W_dec`, `b_dec` apply to raw inputs directly:
  (s·x − b_dec)·W_enc = (x − b_dec/s)·(s·W_enc),   x̂ = (f·W_dec + b_dec)/s.
Pre-activations are unchanged by the folding, so thresholds and k carry over as they are.
Loading uses safetensors only: nothing is unpickled, nothing is executed.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import asdict
from pathlib import Path

import torch
from safetensors.torch import load, save

from . import SPECS, SAE, HParams, build

WEIGHTS = "sae_weights.safetensors"
CONFIG = "cfg.json"
FORMAT_VERSION = 1


def _folded_tensors(model: SAE, input_scale: float) -> dict[str, torch.Tensor]:
    tensors = {
        "W_enc": model.W_enc.detach() * input_scale,
        "b_enc": model.b_enc.detach(),
        "W_dec": model.W_dec.detach() / input_scale,
        "b_dec": model.b_dec.detach() / input_scale,
    }
    tensors.update(model.extra_tensors())
    return {k: v.float().cpu().contiguous() for k, v in tensors.items()}


def to_bytes(model: SAE, hp: HParams, input_scale: float, extra: dict | None = None) -> tuple[bytes, str]:
    """The weights file's bytes and the cfg.json text."""
    cfg = {
        "architecture": model.architecture,
        "d_in": model.d_in,
        "d_sae": model.d_sae,
        "apply_b_dec_to_input": True,
        "normalize_activations": "none",  # folded into the weights, see the module docstring
        "folded_input_scale": input_scale,
        "dtype": "float32",
        "device": "cpu",
        "hparams": asdict(hp),
        "sae_playground_format": FORMAT_VERSION,
        **model.extra_config(hp),
        **(extra or {}),
    }
    return save(_folded_tensors(model, input_scale)), json.dumps(cfg, indent=2)


def save_sae(model: SAE, folder: str | Path, hp: HParams, input_scale: float, extra: dict | None = None) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    weights, cfg = to_bytes(model, hp, input_scale, extra)
    (folder / WEIGHTS).write_bytes(weights)
    (folder / CONFIG).write_text(cfg, encoding="utf-8")
    return folder


def to_zip(model: SAE, hp: HParams, input_scale: float, name: str = "sae", extra: dict | None = None) -> bytes:
    weights, cfg = to_bytes(model, hp, input_scale, extra)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{name}/{CONFIG}", cfg)
        zf.writestr(f"{name}/{WEIGHTS}", weights)
    return buf.getvalue()


def _check_tensors(tensors: dict[str, torch.Tensor], shapes: dict[str, tuple[int, ...]]) -> None:
    missing = sorted(set(shapes) - set(tensors))
    if missing:
        raise ValueError(f"{WEIGHTS} lacks {', '.join(missing)}")
    for name, shape in shapes.items():
        if tuple(tensors[name].shape) != shape:
            raise ValueError(f"{name} has shape {tuple(tensors[name].shape)}, expected {shape} from {CONFIG}")
        if not torch.isfinite(tensors[name]).all():
            raise ValueError(f"{name} contains NaN or infinite values")


def from_bytes(weights: bytes, cfg_text: str) -> tuple[SAE, HParams, dict]:
    """Rebuild a model working in the original input space (its internal input_scale is 1)."""
    try:
        cfg = json.loads(cfg_text)
    except json.JSONDecodeError as err:
        raise ValueError(f"{CONFIG} is not valid JSON ({err.msg})") from None
    if not isinstance(cfg, dict):
        raise ValueError(f"{CONFIG} must hold a JSON object")
    for key in ("architecture", "d_in", "d_sae"):
        if key not in cfg:
            raise ValueError(f"{CONFIG} lacks '{key}'")
    if cfg["architecture"] not in SPECS:
        raise ValueError(f"unknown architecture {cfg['architecture']!r} in {CONFIG}")
    if not all(isinstance(cfg[k], int) and 0 < cfg[k] <= 1_000_000 for k in ("d_in", "d_sae")):
        raise ValueError(f"d_in and d_sae in {CONFIG} must be positive integers")
    try:
        tensors = load(weights)
    except Exception as err:  # noqa: BLE001 - safetensors raises its own error types
        raise ValueError(f"{WEIGHTS} is not a valid safetensors file ({err})") from None
    d_in, d_sae = cfg["d_in"], cfg["d_sae"]
    # The file's own tensors must match cfg.json before a model of that size is built: a tampered
    # cfg.json could otherwise ask for terabytes.
    _check_tensors(tensors, {"W_enc": (d_in, d_sae), "b_enc": (d_sae,), "W_dec": (d_sae, d_in), "b_dec": (d_in,)})
    model = build(cfg["architecture"], d_in, d_sae)
    # A fresh model's extra tensors name and shape what this architecture also needs.
    _check_tensors(tensors, {name: tuple(t.shape) for name, t in model.extra_tensors().items()})
    known = {f for f in HParams.__dataclass_fields__}
    hp = HParams(**{k: v for k, v in cfg.get("hparams", {}).items() if k in known})
    if "k" in cfg:
        hp.k = int(cfg["k"])
    model.unit_norm_decoder = False  # folded rows are scaled by 1/s; keep them exactly as saved
    with torch.no_grad():
        for name in ("W_enc", "b_enc", "W_dec", "b_dec"):
            getattr(model, name).copy_(tensors[name])
    model.load_extra_tensors(tensors)
    model.eval()
    return model, hp, cfg


def load_sae(folder: str | Path) -> tuple[SAE, HParams, dict]:
    folder = Path(folder)
    if not (folder / WEIGHTS).exists() or not (folder / CONFIG).exists():
        raise ValueError(f"{folder} must contain {CONFIG} and {WEIGHTS}")
    return from_bytes((folder / WEIGHTS).read_bytes(), (folder / CONFIG).read_text(encoding="utf-8"))


def from_zip(data: bytes) -> tuple[SAE, HParams, dict]:
    """Load an uploaded zip holding one SAELens folder (cfg.json + sae_weights.safetensors)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ValueError("the upload is not a zip file") from None
    names = zf.namelist()
    cfgs = [n for n in names if n.endswith(CONFIG)]
    weights = [n for n in names if n.endswith(WEIGHTS)]
    if len(cfgs) != 1 or len(weights) != 1:
        raise ValueError(f"the zip must hold exactly one {CONFIG} and one {WEIGHTS}")
    for n in (cfgs[0], weights[0]):
        if zf.getinfo(n).file_size > 512 * 2**20:
            raise ValueError(f"{n} is larger than 512 MiB")
    return from_bytes(zf.read(weights[0]), zf.read(cfgs[0]).decode("utf-8", errors="replace"))
