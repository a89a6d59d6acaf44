"""User-supplied arrays (.npy or .csv) of shape [samples, features], validated before use."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

MAX_BYTES = 50 * 1024 * 1024
MAX_VALUES = 20_000_000


def _check(x: np.ndarray, name: str) -> np.ndarray:
    if x.dtype.kind not in "fiub":
        raise ValueError(f"{name} holds {x.dtype} values; it needs numbers")
    if x.ndim != 2:
        raise ValueError(f"{name} has {x.ndim} dimensions; it needs 2 (samples × features), got shape {x.shape}")
    n, d = x.shape
    if n < 2 or d < 1:
        raise ValueError(f"{name} needs at least 2 samples and 1 feature, got shape {x.shape}")
    if x.size > MAX_VALUES:
        raise ValueError(f"{name} has {x.size:,} values; the limit is {MAX_VALUES:,}")
    x = x.astype(np.float32)
    if not np.all(np.isfinite(x)):
        bad = int(np.sum(~np.isfinite(x)))
        raise ValueError(f"{name} contains {bad} NaN or infinite value{'s' if bad > 1 else ''}")
    if float(np.var(x, axis=0).sum()) == 0.0:
        raise ValueError(f"{name} has zero variance: every sample is identical, there is nothing to learn")
    return x


def load_array_bytes(data: bytes, filename: str) -> np.ndarray:
    """Parse an uploaded .npy or .csv file; raises ValueError with a message a person can act on."""
    name = Path(filename).name
    if len(data) > MAX_BYTES:
        raise ValueError(f"{name} is {len(data) / 2**20:.0f} MiB; the limit is {MAX_BYTES // 2**20} MiB")
    suffix = Path(filename).suffix.lower()
    if suffix == ".npy":
        try:
            x = np.load(io.BytesIO(data), allow_pickle=False)
        except ValueError as err:
            raise ValueError(f"{name} is not a plain numeric .npy file ({err})") from None
        except Exception as err:  # noqa: BLE001 - numpy raises many types for corrupt headers
            raise ValueError(f"{name} is not a valid .npy file ({type(err).__name__})") from None
    elif suffix == ".csv":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError(f"{name} is not UTF-8 text") from None
        rows = [line for line in text.splitlines() if line.strip()]
        if not rows:
            raise ValueError(f"{name} is empty")
        widths = {len(r.split(",")) for r in rows}
        if len(widths) > 1:
            raise ValueError(f"{name} has ragged rows ({sorted(widths)} columns); every row needs the same count")
        try:
            x = np.array([[float(v) for v in r.split(",")] for r in rows], dtype=np.float64)
        except ValueError:
            try:  # one header row is allowed
                x = np.array([[float(v) for v in r.split(",")] for r in rows[1:]], dtype=np.float64)
            except ValueError:
                raise ValueError(f"{name} contains text that is not a number (beyond one header row)") from None
    else:
        raise ValueError(f"{name}: only .npy and .csv files are accepted")
    return _check(x, name)


def load_array_file(path: str | Path) -> np.ndarray:
    path = Path(path)
    if path.stat().st_size > MAX_BYTES:
        raise ValueError(f"{path.name} is larger than {MAX_BYTES // 2**20} MiB")
    return load_array_bytes(path.read_bytes(), path.name)
