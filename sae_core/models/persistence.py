"""Save and load SAEs in SAELens' folder layout: cfg.json, sae_weights.safetensors and sparsity.safetensors.

Weights are stored for raw inputs in the original units (see `SAE.export_tensors`); cfg.json follows
SAELens 6 (see `saelens.py`), so a file saved here loads in SAELens and a SAELens file loads here.
Loading uses safetensors only: nothing is unpickled, nothing is executed.
"""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load, save

from . import SAE, HParams, build
from . import saelens

WEIGHTS = "sae_weights.safetensors"
CONFIG = "cfg.json"
SPARSITY = "sparsity.safetensors"  # SAELens' name: log10 of each latent's firing frequency
SPARSITY_EPS = 1e-10  # as SAELens' trainer adds before the log, so dead latents are −10 rather than −inf


def to_bytes(model: SAE, hp: HParams, input_scale: float, extra: dict | None = None,
             density: np.ndarray | None = None) -> dict[str, bytes]:
    """The folder's files as {file name: bytes}. `density` [d_sae]: the fraction of inputs each latent fires
    on, written as SAELens' sparsity.safetensors when given."""
    tensors = {k: v.float().cpu().contiguous() for k, v in model.export_tensors(input_scale).items()}
    cfg = saelens.export_config(model, hp, input_scale, extra)
    files = {CONFIG: json.dumps(cfg, indent=2).encode("utf-8"), WEIGHTS: save(tensors)}
    if density is not None:
        log_density = torch.log10(torch.as_tensor(np.asarray(density), dtype=torch.float32) + SPARSITY_EPS)
        files[SPARSITY] = save({"sparsity": log_density.contiguous()})
    return files


def save_sae(model: SAE, folder: str | Path, hp: HParams, input_scale: float, extra: dict | None = None,
             density: np.ndarray | None = None) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in to_bytes(model, hp, input_scale, extra, density).items():
        (folder / name).write_bytes(data)
    return folder


def to_zip(model: SAE, hp: HParams, input_scale: float, name: str = "sae", extra: dict | None = None,
           density: np.ndarray | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for file_name, data in to_bytes(model, hp, input_scale, extra, density).items():
            zf.writestr(f"{name}/{file_name}", data)
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


def _parse_config(cfg_text: str) -> dict:
    try:
        cfg = json.loads(cfg_text)
    except json.JSONDecodeError as err:
        raise ValueError(f"{CONFIG} is not valid JSON ({err.msg})") from None
    if not isinstance(cfg, dict):
        raise ValueError(f"{CONFIG} must hold a JSON object")
    for key in ("architecture", "d_in", "d_sae"):
        if key not in cfg:
            raise ValueError(f"{CONFIG} lacks '{key}'")
    if not all(isinstance(cfg[k], int) and 0 < cfg[k] <= 1_000_000 for k in ("d_in", "d_sae")):
        raise ValueError(f"d_in and d_sae in {CONFIG} must be positive integers")
    return cfg


def from_bytes(weights: bytes, cfg_text: str) -> tuple[SAE, HParams, dict]:
    """Rebuild a model working in the original input space (its internal scale is 1).

    Returns (model, hparams, cfg); cfg["load_notes"] lists what was honoured in a way worth telling.
    """
    cfg = _parse_config(cfg_text)
    arch = saelens.architecture_here(cfg)
    notes = saelens.check_fields(cfg)
    try:
        raw = load(weights)
    except Exception as err:  # noqa: BLE001 - safetensors raises its own error types
        raise ValueError(f"{WEIGHTS} is not a valid safetensors file ({err})") from None
    d_in, d_sae = cfg["d_in"], cfg["d_sae"]
    # The file's own tensors must match cfg.json before a model of that size is built: a tampered
    # cfg.json could otherwise ask for terabytes.
    _check_tensors(raw, {"W_enc": (d_in, d_sae), "b_enc": (d_sae,), "W_dec": (d_sae, d_in), "b_dec": (d_in,)})
    tensors = saelens.fold_into_weights(cfg, raw)
    hp = saelens.hparams_from(cfg)
    model = build(arch, d_in, d_sae)
    # A fresh model's extra tensors name and shape what this architecture also needs.
    _check_tensors(tensors, {name: tuple(t.shape) for name, t in model.extra_tensors().items()})
    model.unit_norm_decoder = False  # keep the rows exactly as saved
    with torch.no_grad():
        for name in ("W_enc", "b_enc", "W_dec", "b_dec"):
            getattr(model, name).copy_(tensors[name])
    model.load_extra_tensors(tensors)
    model.eval()
    return model, hp, {**cfg, "load_notes": notes}


def load_sae(folder: str | Path) -> tuple[SAE, HParams, dict]:
    folder = Path(folder)
    if not (folder / WEIGHTS).exists() or not (folder / CONFIG).exists():
        raise ValueError(f"{folder} must contain {CONFIG} and {WEIGHTS}")
    return from_bytes((folder / WEIGHTS).read_bytes(), (folder / CONFIG).read_text(encoding="utf-8"))


def from_zip(data: bytes) -> tuple[SAE, HParams, dict]:
    """Load an uploaded zip holding one SAELens folder (cfg.json + sae_weights.safetensors; other files,
    such as sparsity.safetensors, are not needed)."""
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
    try:
        weights_bytes, cfg_bytes = zf.read(weights[0]), zf.read(cfgs[0])
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, zlib.error, EOFError) as err:
        raise ValueError(f"the zip could not be read ({err}); zip the folder again without encryption") from None
    return from_bytes(weights_bytes, cfg_bytes.decode("utf-8", errors="replace"))
