"""User-supplied arrays (.npy or .csv) of shape [samples, features], validated before use."""

from __future__ import annotations

import io
import math
from array import array
from pathlib import Path

import numpy as np

MAX_BYTES = 50 * 1024 * 1024
MAX_VALUES = 20_000_000
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines() breaks lines on
CSV_CHUNK = 2**20


def _say(err: Exception) -> str:
    text = str(err)
    return text if len(text) <= 100 else text[:97] + "..."


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
    if x.dtype.kind == "f" and not np.all(np.isfinite(x)):
        bad = int(np.sum(~np.isfinite(x)))
        raise ValueError(f"{name} contains {bad} NaN or infinite value{'s' if bad > 1 else ''}")
    with np.errstate(over="ignore"):
        x = x.astype(np.float32)
    if not np.all(np.isfinite(x)):
        bad = int(np.sum(~np.isfinite(x)))
        raise ValueError(f"{name} has {bad} value{'s' if bad > 1 else ''} beyond float32's range (±3.4e38)")
    if float(np.var(x, axis=0, dtype=np.float64).sum()) == 0.0:
        raise ValueError(f"{name} has zero variance: every sample is identical, there is nothing to learn")
    return x


def _read_npy(data: bytes, name: str) -> np.ndarray:
    fp = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(fp)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(fp)
        elif version == (2, 0):
            shape, _, dtype = np.lib.format.read_array_header_2_0(fp)
        else:  # format 3.0 exists only for structured arrays with non-Latin-1 field names
            raise ValueError(f"format {version[0]}.{version[1]} holds structured arrays")
    except Exception as err:  # noqa: BLE001 - numpy raises many types for corrupt headers
        raise ValueError(f"{name} is not a plain numeric .npy file ({_say(err)})") from None
    # Checked before numpy reads the data: for an in-memory file it allocates the shape the header declares
    # before reading, so a 100-byte file declaring 10¹² values asked for terabytes.
    if dtype.hasobject:
        raise ValueError(f"{name} holds Python objects, which are never unpickled; save plain numbers")
    count = math.prod(shape)
    if count > MAX_VALUES:
        raise ValueError(f"{name} has {count:,} values; the limit is {MAX_VALUES:,}")
    if count * dtype.itemsize > len(data) - fp.tell():
        raise ValueError(f"{name} declares shape {shape} of {dtype} but holds only {len(data) - fp.tell():,} "
                         "bytes of data (a truncated file?)")
    try:
        return np.load(io.BytesIO(data), allow_pickle=False)
    except Exception as err:  # noqa: BLE001 - numpy raises many types for corrupt data
        raise ValueError(f"{name} is not a plain numeric .npy file ({_say(err)})") from None


def _line_blocks(text: str):
    """The non-blank lines of `text` (as str.splitlines() breaks them), a list per CSV_CHUNK characters."""
    carry = ""
    for start in range(0, len(text), CSV_CHUNK):
        piece = carry + text[start:start + CSV_CHUNK]
        lines = piece.splitlines()
        more = start + CSV_CHUNK < len(text)
        carry = lines.pop() if lines and more and piece[-1] not in LINE_BREAKS else ""  # a line cut in two
        yield [line for line in lines if line.strip()]


def _read_csv(data: bytes, name: str) -> np.ndarray:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{name} is not UTF-8 text") from None
    # Read twice, a block of lines at a time, the numbers packed as they are parsed: lists of every line and of
    # Python floats took 85 times the file's size (850 MiB for a 10 MiB column of digits).
    widths, n_rows = set(), 0
    for block in _line_blocks(text):
        widths.update(line.count(",") + 1 for line in block)
        n_rows += len(block)
    if not n_rows:
        raise ValueError(f"{name} is empty")
    if len(widths) > 1:
        shown = ", ".join(str(w) for w in sorted(widths)[:6]) + (", ..." if len(widths) > 6 else "")
        raise ValueError(f"{name} has ragged rows ([{shown}] columns); every row needs the same count")
    width = widths.pop()
    if n_rows * width > MAX_VALUES:
        raise ValueError(f"{name} has {n_rows * width:,} values; the limit is {MAX_VALUES:,}")
    values, first = array("d"), True  # 8 bytes a value, where a Python float in a list takes 32
    for block in _line_blocks(text):
        if first and block:
            first = False
            try:
                values.extend([float(v) for v in block[0].split(",")])
            except ValueError:
                pass  # one header row is allowed
            block = block[1:]
        try:
            values.extend([float(v) for line in block for v in line.split(",")])
        except ValueError:
            raise ValueError(f"{name} contains text that is not a number (beyond one header row)") from None
    return np.frombuffer(values, dtype=np.float64).reshape(-1, width)


def load_array_bytes(data: bytes, filename: str) -> np.ndarray:
    """Parse an uploaded .npy or .csv file; raises ValueError with a message a person can act on."""
    name = Path(filename).name
    if len(data) > MAX_BYTES:
        raise ValueError(f"{name} is {len(data) / 2**20:.0f} MiB; the limit is {MAX_BYTES // 2**20} MiB")
    suffix = Path(filename).suffix.lower()
    if suffix == ".npy":
        x = _read_npy(data, name)
    elif suffix == ".csv":
        x = _read_csv(data, name)
    else:
        raise ValueError(f"{name}: only .npy and .csv files are accepted")
    return _check(x, name)


def load_array_file(path: str | Path) -> np.ndarray:
    path = Path(path)
    if path.stat().st_size > MAX_BYTES:
        raise ValueError(f"{path.name} is larger than {MAX_BYTES // 2**20} MiB")
    return load_array_bytes(path.read_bytes(), path.name)
