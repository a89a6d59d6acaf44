"""Save and load SAEs in SAELens' folder layout: cfg.json, sae_weights.safetensors and sparsity.safetensors.

Weights are stored for raw inputs in the original units (see `SAE.export_tensors`); cfg.json follows
SAELens 6 (see `saelens.py`), so a file saved here loads in SAELens and a SAELens file loads here.
Loading uses safetensors only: nothing is unpickled, nothing is executed.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path, PurePosixPath

import numpy as np
import torch
from safetensors.torch import load, save

from sae_core.models import SAE, HParams, build
from sae_core.models import saelens

WEIGHTS = "sae_weights.safetensors"
CONFIG = "cfg.json"
SPARSITY = "sparsity.safetensors"  # SAELens' name: log10 of each latent's firing frequency
SPARSITY_EPS = 1e-10  # as SAELens' trainer adds before the log, so dead latents are −10 rather than −inf
# An upload is capped by the server (.streamlit/config.toml, 50 MiB) and safetensors weights barely compress, so
# a real model unpacks to about the size of its zip; 256 MiB leaves room for half-precision or sparse weights
# that do compress, and bounds what a zip bomb can make the server hold.
MAX_UNZIPPED_BYTES = 256 * 2**20
MAX_CONFIG_BYTES = 2**20  # a cfg.json is a few kB
MAX_ZIP_MEMBERS = 1000  # a SAELens folder holds three files; each entry costs the zip reader memory
READ_CHUNK = 2**20
# Tensors SAELens writes (cfg.json's dtype names them); others (ints, complex, float8) are refused, not cast.
TENSOR_DTYPES = (torch.float32, torch.float64, torch.float16, torch.bfloat16)


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


def _check_dtypes(tensors: dict[str, torch.Tensor]) -> None:
    for name, tensor in tensors.items():
        if tensor.dtype not in TENSOR_DTYPES:
            raise ValueError(f"{name} is stored as {str(tensor.dtype).removeprefix('torch.')}; "
                             "weights must be float32, float64, float16 or bfloat16")


def _check_tensors(tensors: dict[str, torch.Tensor], shapes: dict[str, tuple[int, ...]]) -> None:
    missing = sorted(set(shapes) - set(tensors))
    if missing:
        raise ValueError(f"{WEIGHTS} lacks {', '.join(missing)}")
    for name, shape in shapes.items():
        if tuple(tensors[name].shape) != shape:
            raise ValueError(f"{name} has shape {tuple(tensors[name].shape)}, expected {shape} from {CONFIG}")
        if not torch.isfinite(tensors[name]).all():
            raise ValueError(f"{name} contains NaN or infinite values")


def _check_folded(tensors: dict[str, torch.Tensor]) -> None:
    # Folding cfg.json's flags into the weights multiplies them: finite values near float32's limit can overflow.
    for name in ("W_enc", "b_enc", "W_dec", "b_dec"):
        if not torch.isfinite(tensors[name]).all():
            raise ValueError(f"{name} overflows float32 once cfg.json's settings are folded into it")


def _parse_config(cfg_text: str) -> dict:
    try:
        cfg = json.loads(cfg_text)
    except json.JSONDecodeError as err:
        raise ValueError(f"{CONFIG} is not valid JSON ({err.msg})") from None
    except RecursionError:
        raise ValueError(f"{CONFIG} is nested too deeply to be a configuration") from None
    except ValueError:  # an integer of more digits than Python converts
        raise ValueError(f"{CONFIG} holds a number too long to read") from None
    if not isinstance(cfg, dict):
        raise ValueError(f"{CONFIG} must hold a JSON object")
    for key in ("architecture", "d_in", "d_sae"):
        if key not in cfg:
            raise ValueError(f"{CONFIG} lacks '{key}'")
    if not all(type(cfg[k]) is int and 0 < cfg[k] <= 1_000_000 for k in ("d_in", "d_sae")):  # bool is an int too
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
    _check_dtypes(raw)  # before anything is cast to float32: a complex tensor would lose half of itself
    # The file's own tensors must match cfg.json before a model of that size is built: a tampered
    # cfg.json could otherwise ask for terabytes.
    _check_tensors(raw, {"W_enc": (d_in, d_sae), "b_enc": (d_sae,), "W_dec": (d_sae, d_in), "b_dec": (d_in,)})
    tensors = saelens.fold_into_weights(cfg, raw)
    hp = saelens.hparams_from(cfg)
    model = build(arch, d_in, d_sae)
    # A fresh model's extra tensors name and shape what this architecture also needs.
    _check_tensors(tensors, {name: tuple(t.shape) for name, t in model.extra_tensors().items()})
    _check_folded(tensors)
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


def _unsafe_name(name: str) -> bool:
    """A member name that would land outside the folder it is unpacked into: absolute, a drive, or `..`."""
    posix = name.replace("\\", "/")
    return posix.startswith("/") or (len(posix) > 1 and posix[1] == ":") or ".." in PurePosixPath(posix).parts


def _shown(name: str) -> str:
    return repr(name if len(name) <= 60 else name[:57] + "...")


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """A member's bytes, never more than `limit` of them held, whatever its header claims."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        # bzip2 and LZMA members are inflated a whole compressed chunk at a time, with no bound on the output.
        method = {zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "LZMA"}.get(info.compress_type,
                                                                           f"method {info.compress_type}")
        raise ValueError(f"{_shown(info.filename)} is compressed with {method}; zip the folder again with the "
                         "standard (deflate) compression")
    if info.file_size > limit:
        raise ValueError(f"{_shown(info.filename)} unpacks to {info.file_size / 2**20:.0f} MiB; "
                         f"the limit is {limit / 2**20:g} MiB")
    # Read in bounded chunks: zipfile's read() of a whole member inflates up to 2 GiB at once before it trims
    # the output to the declared size, so a member declaring 1 kB could still allocate gigabytes.
    out = bytearray()
    try:
        with zf.open(info) as fh:
            while len(out) <= limit and (chunk := fh.read(READ_CHUNK)):
                out += chunk
    except RuntimeError as err:  # zipfile's word for a member that needs a password
        raise ValueError(f"{_shown(info.filename)} is encrypted ({str(err)[:60]}); zip the folder again "
                         "without a password") from None
    except Exception as err:  # noqa: BLE001 - zipfile, zlib and the file object raise many types for bad data
        raise ValueError(f"{_shown(info.filename)} is damaged ({type(err).__name__}: {str(err)[:80]}); "
                         "zip the folder again") from None
    if len(out) > limit:
        raise ValueError(f"{_shown(info.filename)} unpacks to more than {limit / 2**20:g} MiB")
    return bytes(out)


def from_zip(data: bytes) -> tuple[SAE, HParams, dict]:
    """Load an uploaded zip holding one SAELens folder (cfg.json + sae_weights.safetensors; other files,
    such as sparsity.safetensors, are not needed). Nothing is written to disk: members are read into memory."""
    # Counted before the zip is opened: its reader builds an object per entry, thousands of them per MiB.
    if data.count(b"PK\x01\x02") > MAX_ZIP_MEMBERS:
        raise ValueError(f"the zip holds more than {MAX_ZIP_MEMBERS} files; a SAELens folder holds three")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - a corrupt directory raises BadZipFile, ValueError, EOFError or OSError
        raise ValueError("the upload is not a zip file") from None
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise ValueError(f"the zip holds {len(infos)} files; a SAELens folder holds three")
    for info in infos:
        if _unsafe_name(info.filename):
            raise ValueError(f"the zip holds a file named {_shown(info.filename)}, outside its folder; "
                             "zip the folder again")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNZIPPED_BYTES:
        raise ValueError(f"the zip unpacks to {total / 2**20:.0f} MiB; the limit is {MAX_UNZIPPED_BYTES // 2**20} MiB")
    cfgs = [i for i in infos if i.filename.endswith(CONFIG)]
    weights = [i for i in infos if i.filename.endswith(WEIGHTS)]
    if len(cfgs) != 1 or len(weights) != 1:
        raise ValueError(f"the zip must hold exactly one {CONFIG} and one {WEIGHTS}")
    cfg_bytes = _read_member(zf, cfgs[0], MAX_CONFIG_BYTES)
    weights_bytes = _read_member(zf, weights[0], MAX_UNZIPPED_BYTES)
    return from_bytes(weights_bytes, cfg_bytes.decode("utf-8", errors="replace"))
