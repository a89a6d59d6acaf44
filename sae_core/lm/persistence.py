"""Save and load the LM (and its training checkpoint) as safetensors + JSON: nothing is unpickled or executed.

A model folder holds `lm.safetensors` (the weights) and `lm.json` (format, LMConfig, facts about the run).
A checkpoint (`checkpoint.safetensors` + `checkpoint.json`) adds AdamW's moments and the batch generator.
Anything damaged — missing, truncated, not safetensors, wrong names or shapes, NaN, a bad config — raises
`LMFileError`, which the app catches to offer retraining.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors.torch import load, save

from sae_core.lm.model import ByteLM, LMConfig

WEIGHTS = "lm.safetensors"
CONFIG = "lm.json"
CHECKPOINT_WEIGHTS = "checkpoint.safetensors"
CHECKPOINT_CONFIG = "checkpoint.json"
FORMAT = 1
MAX_JSON_BYTES = 2**20


class LMFileError(ValueError):
    """A saved LM or checkpoint that cannot be used as it is: retrain it."""


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)  # a reader never sees half a file


def _read_json(path: Path) -> dict:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise LMFileError(f"cannot read {path.name} ({err.strerror or err})") from None
    if len(raw) > MAX_JSON_BYTES:
        raise LMFileError(f"{path.name} is {len(raw):,} bytes; a configuration is a few hundred")
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError, ValueError) as err:
        raise LMFileError(f"{path.name} is not valid JSON ({type(err).__name__})") from None
    if not isinstance(value, dict):
        raise LMFileError(f"{path.name} must hold a JSON object")
    return value


def _read_tensors(path: Path) -> dict[str, torch.Tensor]:
    try:
        return load(path.read_bytes())
    except OSError as err:
        raise LMFileError(f"cannot read {path.name} ({err.strerror or err})") from None
    except Exception as err:  # noqa: BLE001 - safetensors raises its own error types for damaged bytes
        raise LMFileError(f"{path.name} is not a valid safetensors file ({str(err)[:80]})") from None


def _config_from(meta: dict, name: str) -> LMConfig:
    if meta.get("format") != FORMAT or not isinstance(meta.get("config"), dict):
        raise LMFileError(f"{name} is not an LM configuration of format {FORMAT}")
    fields = set(LMConfig.__dataclass_fields__)
    if set(meta["config"]) != fields:
        raise LMFileError(f"{name}'s config must name exactly {', '.join(sorted(fields))}")
    try:
        return LMConfig(**meta["config"])
    except ValueError as err:
        raise LMFileError(f"{name}: {err}") from None


def save_lm(model: ByteLM, folder: str | Path, extra: dict | None = None) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tensors = {k: v.detach().cpu().float().contiguous() for k, v in model.state_dict().items()}
    _write_atomic(folder / WEIGHTS, save(tensors))
    meta = {"format": FORMAT, "config": model.cfg.as_dict(), **(extra or {})}
    _write_atomic(folder / CONFIG, json.dumps(meta, indent=2).encode("utf-8"))
    return folder


def _checked_model(tensors: dict[str, torch.Tensor], cfg: LMConfig, name: str, prefix: str = "") -> ByteLM:
    """A model of `cfg` holding `tensors` (names and shapes exactly a fresh model's, all finite)."""
    model = ByteLM(cfg)
    expected = model.state_dict()
    got = {k.removeprefix(prefix): v for k, v in tensors.items() if k.startswith(prefix)}
    if set(got) != set(expected):
        missing, unknown = sorted(set(expected) - set(got)), sorted(set(got) - set(expected))
        raise LMFileError(f"{name} does not hold this model's weights (missing {missing[:3]}, unknown {unknown[:3]})")
    for key, value in got.items():
        if value.shape != expected[key].shape or not value.dtype.is_floating_point:
            raise LMFileError(f"{name}: {key} has shape {tuple(value.shape)} and dtype {value.dtype}, expected "
                              f"{tuple(expected[key].shape)} floats")
        if not torch.isfinite(value).all():
            raise LMFileError(f"{name}: {key} holds NaN or infinite values")
    model.load_state_dict({k: v.float() for k, v in got.items()})
    model.eval()
    return model


def load_lm(folder: str | Path) -> ByteLM:
    """The model saved in `folder` by `save_lm`; LMFileError if anything there is missing or damaged."""
    folder = Path(folder)
    meta = _read_json(folder / CONFIG)
    cfg = _config_from(meta, CONFIG)
    return _checked_model(_read_tensors(folder / WEIGHTS), cfg, WEIGHTS)


def read_meta(folder: str | Path) -> dict:
    """lm.json's facts (config, corpus, training figures)."""
    return _read_json(Path(folder) / CONFIG)


def save_checkpoint(trainer, folder: str | Path, extra: dict | None = None) -> None:
    """Everything an LMTrainer needs to continue, written atomically."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    _write_atomic(folder / CHECKPOINT_WEIGHTS, save(trainer.state_tensors()))
    meta = {"format": FORMAT, "config": trainer.model.cfg.as_dict(), "trainer": trainer.state_meta(), **(extra or {})}
    _write_atomic(folder / CHECKPOINT_CONFIG, json.dumps(meta).encode("utf-8"))


def load_checkpoint(folder: str | Path) -> tuple[dict[str, torch.Tensor], dict] | None:
    """(tensors, meta) of a checkpoint in `folder`, None where there is none; LMFileError if it is damaged."""
    folder = Path(folder)
    if not (folder / CHECKPOINT_WEIGHTS).exists() or not (folder / CHECKPOINT_CONFIG).exists():
        return None
    meta = _read_json(folder / CHECKPOINT_CONFIG)
    cfg = _config_from(meta, CHECKPOINT_CONFIG)
    tensors = _read_tensors(folder / CHECKPOINT_WEIGHTS)
    _checked_model(tensors, cfg, CHECKPOINT_WEIGHTS, prefix="model.")
    if "generator" not in tensors or not isinstance(meta.get("trainer"), dict):
        raise LMFileError(f"{CHECKPOINT_WEIGHTS} lacks the trainer's state")
    return tensors, meta


def save_lm_meta(folder: str | Path, meta: dict) -> None:
    """Rewrite lm.json's facts (its format and config must stay those of the weights beside it)."""
    _config_from(meta, CONFIG)
    _write_atomic(Path(folder) / CONFIG, json.dumps(meta, indent=2).encode("utf-8"))
