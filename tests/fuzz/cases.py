"""What the fuzz tests and `bench/fuzz_bench.py` share: generators of bad input and the property each target keeps.

Every generator starts from a valid file or URL and then damages it, so cases reach past the first check of a
parser. A target's property: a valid object comes back, or a `ValueError` (not a subclass such as
`UnicodeDecodeError`, whose message is numpy's or the codec's, not ours) with a short message a person can read;
anything else escapes and is a bug. Pickled payloads would create `MARKER` if anything unpickled them.
"""

from __future__ import annotations

import bz2
import dataclasses
import gzip
import importlib
import io
import json
import math
import os
import pickle
import pkgutil
import re
import shutil
import struct
import tempfile
import zipfile
import zlib
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

def fuzz_settings(max_examples: int, derandomize: bool = True) -> settings:
    """No example database (nothing written into the checkout) and no deadline (2 shared cores); derandomised in
    the tests, so a failure there is reproducible, while bench/fuzz_bench.py draws fresh cases each run."""
    return settings(max_examples=max_examples, deadline=None, database=None, derandomize=derandomize,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


MAX_MESSAGE = 400  # characters: a page shows the message in one warning box
MARKER = Path(tempfile.mkdtemp(prefix="sae-fuzz-marker-")) / "a-pickle-was-executed"


class _Payload:
    """Unpickling this creates MARKER: proof that a loader ran code from a file."""

    def __reduce__(self):
        return (os.mkdir, (str(MARKER),))


PICKLE = pickle.dumps(_Payload(), protocol=2)


def assert_nothing_executed() -> None:
    assert not MARKER.exists(), "a pickle in an uploaded file was executed"


def remove_marker_folder() -> None:
    shutil.rmtree(MARKER.parent, ignore_errors=True)


# --- counting ------------------------------------------------------------------------------------------

class Tally:
    """Cases per target, and how each ended: accepted, or rejected with a message (numbers and quoted
    values masked, so one kind of rejection counts once)."""

    def __init__(self):
        self.cases: Counter = Counter()
        self.accepted: Counter = Counter()
        self.rejections: dict[str, Counter] = defaultdict(Counter)
        self.unhandled: dict[str, Counter] = defaultdict(Counter)

    def record(self, target: str, outcome: str | list[str] | None) -> None:
        """One case: None or [] if accepted, else its rejection message(s)."""
        messages = [outcome] if isinstance(outcome, str) else list(outcome or [])
        self.cases[target] += 1
        if not messages:
            self.accepted[target] += 1
        for message in messages:
            self.rejections[target][message_kind(message)] += 1

    def rejected(self, target: str) -> int:
        return self.cases[target] - self.accepted[target] - sum(self.unhandled[target].values())

    def record_unhandled(self, target: str, err: BaseException) -> None:
        self.cases[target] += 1
        self.unhandled[target][f"{type(err).__name__}: {str(err)[:120]}"] += 1

    def total(self) -> int:
        return sum(self.cases.values())


TALLY = Tally()


def message_kind(message: str) -> str:
    masked = re.sub(r"(?<!\w)'[^']*'|\"[^\"]*\"|\([^()]*\)|\[[^\]]*\]", "…", message)
    masked = re.sub(r"(?<![\w-])[-+]?\d[\d,._]*(e[-+]?\d+)?", "N", masked)  # keeps UTF-8 and idx3
    return masked[:110]


def rejection(err: ValueError) -> str:
    """The message of a clear rejection; an AssertionError (a bug) for anything less."""
    assert type(err) is ValueError, f"{type(err).__name__} escaped as a rejection: {str(err)[:200]}"
    message = str(err)
    assert message.strip(), "a rejection without a message"
    assert len(message) <= MAX_MESSAGE, f"a {len(message)}-character message: {message[:200]}…"
    return message


# --- .npy ------------------------------------------------------------------------------------------------

def npy_bytes(descr: str, shape: tuple, payload: bytes, fortran: bool = False, version=(1, 0)) -> bytes:
    """A .npy file written by hand, so its header can say anything."""
    header = f"{{'descr': {descr!r}, 'fortran_order': {fortran}, 'shape': {shape!r}, }}".encode("latin1")
    size = 4 if version == (1, 0) else 6
    pad = -(len(header) + 1 + 6 + 2 + size) % 64
    header += b" " * pad + b"\n"
    length = struct.pack("<H" if version == (1, 0) else "<I", len(header))
    return b"\x93NUMPY" + bytes(version) + length + header + payload


def _save(array: np.ndarray, allow_pickle: bool = False) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=allow_pickle)
    return buf.getvalue()


DTYPES = ("<f4", "<f8", ">f8", "<f2", "|u1", "|i1", "<i4", "<i8", "|b1")
SPECIAL_FLOATS = (math.nan, math.inf, -math.inf, 1e308, -1e308, 3.5e38, 1e-320, 0.0, -0.0)


@st.composite
def valid_arrays(draw) -> np.ndarray:
    n, d = draw(st.integers(2, 12)), draw(st.integers(1, 8))
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    x = rng.normal(0, 3, (n, d))
    if dtype.kind in "iub":
        x = np.clip(np.round(x), 0 if dtype.kind in "ub" else -100, 1 if dtype.kind == "b" else 100)
    return x.astype(dtype)


def _mutate_bytes(draw, data: bytes) -> bytes:
    how = draw(st.sampled_from(("truncate", "flip", "insert", "delete")))
    i = draw(st.integers(0, max(0, len(data) - 1)))
    if how == "truncate":
        return data[:i]
    if how == "flip":
        return data[:i] + bytes([data[i] ^ draw(st.integers(1, 255))]) + data[i + 1:] if data else data
    if how == "insert":
        return data[:i] + draw(st.binary(min_size=1, max_size=16)) + data[i:]
    return data[:i] + data[i + draw(st.integers(1, 16)):]


@st.composite
def npy_files(draw) -> tuple[str, bytes]:
    """(how it was made, the bytes) of a .npy upload."""
    x = draw(valid_arrays())
    how = draw(st.sampled_from(("valid", "bytes", "magic", "version", "declared", "dtype", "nonfinite", "rank",
                                "object", "pickle", "fortran", "header")))
    payload = x.tobytes()
    if how == "valid":
        return how, _save(x)
    if how == "bytes":
        return how, _mutate_bytes(draw, _save(x))
    if how == "magic":
        data = _save(x)
        return how, draw(st.sampled_from((b"\x93NUMPZ", b"PK\x03\x04", b"\x80\x04\x95\x00", b""))) + data[6:]
    if how == "version":
        return how, b"\x93NUMPY" + bytes([draw(st.integers(0, 255)), draw(st.integers(0, 255))]) + _save(x)[8:]
    if how == "declared":  # the header promises far more values than the file holds
        big = draw(st.sampled_from((2**31, 10**12, 2**62, 2**63 - 1, x.shape[0] * 2)))
        shape = draw(st.sampled_from(((big, x.shape[1]), (x.shape[0], big), (big,), (big, big, big))))
        return how, npy_bytes(x.dtype.str, shape, payload, version=draw(st.sampled_from(((1, 0), (2, 0)))))
    if how == "dtype":
        descr = draw(st.sampled_from(("<c16", "<U4", "|S8", "<M8[s]", "|V8", "<f16", "bogus", "<f4", "|O")))
        return how, npy_bytes(descr, x.shape, payload)
    if how == "nonfinite":
        f = x.astype(np.float64)
        for _ in range(draw(st.integers(1, 3))):
            f[draw(st.integers(0, f.shape[0] - 1)), draw(st.integers(0, f.shape[1] - 1))] = \
                draw(st.sampled_from(SPECIAL_FLOATS))
        with np.errstate(over="ignore"):
            return how, _save(f.astype(draw(st.sampled_from((np.float64, np.float32, np.float16)))))
    if how == "rank":
        return how, _save(x.reshape(draw(st.sampled_from(((-1,), (1, -1), (-1, 1, 1), (1, 1, -1))))))
    if how == "object":  # an object array pickles its items; loading it would run the payload
        obj = np.empty((2, 2), dtype=object)
        obj[0, 0] = _Payload()
        return how, _save(obj, allow_pickle=True)
    if how == "pickle":
        return how, PICKLE
    if how == "fortran":
        return how, npy_bytes(x.dtype.str, x.shape, payload, fortran=True)
    header = draw(st.sampled_from(("{}", "[1, 2]", "__import__('os').mkdir('x')", "{'descr': '<f8'}",
                                   "{'descr': '<f8', 'fortran_order': False, 'shape': (-1, 2)}",
                                   "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), 'x': 1}",
                                   "{'descr': '<f8', 'fortran_order': 'no', 'shape': (2, 2)}")))
    raw = header.encode() + b" " * 10 + b"\n"
    return how, b"\x93NUMPY\x01\x00" + struct.pack("<H", len(raw)) + raw + payload


# --- .csv ------------------------------------------------------------------------------------------------

CSV_TOKENS = ("nan", "NaN", "inf", "-inf", "Infinity", "1e308", "-1e308", "1e39", "1e400", "0x10", "1_000", "",
              " ", "abc", "１２", "1,5", "\"1\"", "−1", "9" * 400, "1e-400", "+.5", "5.", "--1")
LINE_BREAKS = ("\n", "\r\n", "\r", "\u2028", "\x0c", "\x85")


@st.composite
def csv_files(draw) -> tuple[str, bytes]:
    x = draw(valid_arrays()).astype(np.float64)
    rows = [[f"{v:.6g}" for v in row] for row in x]
    how = draw(st.sampled_from(("valid", "header", "bytes", "token", "ragged", "breaks", "encoding", "blank",
                                "wide", "pickle", "text")))
    if how == "header":
        rows.insert(0, [f"feature {j}" for j in range(len(rows[0]))])
        if draw(st.booleans()):
            how = "two headers"  # refused: one header row is allowed
            rows.insert(0, list(rows[0]))
    elif how == "token":
        for _ in range(draw(st.integers(1, 3))):
            rows[draw(st.integers(0, len(rows) - 1))][draw(st.integers(0, len(rows[0]) - 1))] = \
                draw(st.sampled_from(CSV_TOKENS))
    elif how == "ragged":
        row = rows[draw(st.integers(0, len(rows) - 1))]
        row.extend(["1"] * draw(st.integers(1, 3))) if draw(st.booleans()) else row.pop()
    elif how == "wide":  # a row per width: a long list of distinct widths to report
        rows = [["1"] * w for w in range(1, draw(st.integers(3, 300)))]
    break_ = draw(st.sampled_from(LINE_BREAKS)) if how == "breaks" else "\n"
    text = break_.join(",".join(row) for row in rows)
    if how == "blank":
        text = "\n \n\t\n" + text.replace("\n", "\n\n") + "\n\n"
    if how == "text":
        return how, draw(st.text(max_size=200)).encode("utf-8")
    data = text.encode("utf-8")
    if how == "bytes":
        data = _mutate_bytes(draw, data)
    elif how == "encoding":
        data = draw(st.sampled_from((text.encode("utf-16"), b"\xef\xbb\xbf" + data, data + b"\xff\xfe", b"\x00" * 8)))
    elif how == "pickle":
        data = PICKLE
    return how, data


# --- IDX folders -----------------------------------------------------------------------------------------

def idx_images(n: int, rows: int, cols: int, pixels: bytes, magic: int = 2051) -> bytes:
    return struct.pack(">IIII", magic, n, rows, cols) + pixels


def idx_labels(n: int, labels: bytes, magic: int = 2049) -> bytes:
    return struct.pack(">II", magic, n) + labels


@lru_cache(maxsize=None)
def _zeros_deflate(mib: int) -> bytes:
    """A raw deflate stream of `mib` MiB of zeros, about 1 kB per MiB: one fully flushed block repeated
    (a full flush restarts the compressor, so the block decodes the same after any other)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(2**20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block * mib + zlib.compressobj(9, zlib.DEFLATED, -15).flush()


@lru_cache(maxsize=None)
def gzip_bomb(mib: int = 1024) -> bytes:
    """A .gz of an IDX header followed by `mib` MiB of zeros, about `mib` kB on disk (its CRC is left wrong:
    a reader that gets to the end has read far too much already)."""
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    body = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = body.compress(idx_images(2**20 * mib // 784, 28, 28, b"")) + body.flush(zlib.Z_FULL_FLUSH)
    return header + head + _zeros_deflate(mib) + struct.pack("<II", 0, (16 + mib * 2**20) % 2**32)


@st.composite
def idx_folders(draw) -> tuple[str, dict[str, bytes]]:
    """(how it was made, {file name: bytes}) of an IDX folder."""
    n, rows, cols = draw(st.integers(1, 5)), draw(st.integers(1, 6)), draw(st.integers(1, 6))
    pixels = draw(st.binary(min_size=n * rows * cols, max_size=n * rows * cols))
    images, labels = idx_images(n, rows, cols, pixels), idx_labels(n, bytes(range(n)))
    gz = draw(st.booleans())
    how = draw(st.sampled_from(("valid", "bytes", "magic", "declared", "labels", "gzip", "bomb", "pickle",
                                "empty", "two", "shapes")))
    if how == "bytes":
        images = _mutate_bytes(draw, images)
    elif how == "magic":
        images = struct.pack(">I", draw(st.sampled_from((2049, 2052, 0, 2**32 - 1, 0x1F8B0800)))) + images[4:]
    elif how == "declared":  # sizes far beyond the file: nothing may be allocated for them
        big = draw(st.sampled_from((2**32 - 1, 2**31, 10**9, n + 1, 0)))
        which = draw(st.integers(0, 2))
        dims = [n, rows, cols]
        dims[which] = big
        images = idx_images(*dims, pixels)
    elif how == "labels":
        labels = draw(st.sampled_from((idx_labels(n + 1, bytes(n + 1)), idx_labels(n, bytes(n), magic=2051),
                                       idx_labels(2**32 - 1, bytes(n)), labels[:5])))
    elif how == "pickle":
        images = PICKLE
    suffix = ".gz" if gz else ""
    files = {}
    if how != "empty":
        data = gzip.compress(images, mtime=0) if gz else images
        if how == "gzip":
            suffix, data = ".gz", _mutate_bytes(draw, gzip.compress(images, mtime=0))
        elif how == "bomb" and draw(st.integers(0, 19)) == 0:  # each costs 64 MiB inflated: one in 20
            suffix, data = ".gz", gzip_bomb()
        elif how == "bomb":  # a small one: 1 MiB of zeros declared as 2 images
            suffix, data = ".gz", gzip.compress(idx_images(2, 28, 28, bytes(2**20)), mtime=0)
        files[f"train-images-idx3-ubyte{suffix}"] = data
        files[f"train-labels-idx1-ubyte{suffix}"] = gzip.compress(labels, mtime=0) if suffix else labels
    if how in ("two", "shapes"):
        other = (rows, cols) if how == "two" else (rows + 1, cols)
        files["t10k-images-idx3-ubyte"] = idx_images(1, *other, bytes(other[0] * other[1]))
    return how, files


def write_folder(root: Path, files: dict[str, bytes]) -> Path:
    folder = Path(tempfile.mkdtemp(dir=root))
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


# --- model zips ------------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def base_models() -> dict[str, dict[str, bytes]]:
    """One small export per architecture, as {member name: bytes}."""
    from sae_core.models import SPECS, HParams, build
    from sae_core.models.persistence import to_bytes

    return {arch: {f"m/{name}": data for name, data in
                   to_bytes(build(arch, 4, 6, seed=1), HParams(k=3), 1.0, density=np.full(6, 0.1)).items()}
            for arch in SPECS}


def safetensors_bytes(header: dict, payload: bytes) -> bytes:
    raw = json.dumps(header).encode()
    return struct.pack("<Q", len(raw)) + raw + payload


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.sampled_from((10**400, -10**400, 2**63))
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20) | st.sampled_from(("relu", "topk", "jumprelu", "batchtopk", "standard", "gated",
                                              "abstopk", "kl", "ae", "float16", "bfloat16", "int8", "torch.float32",
                                              "layer_norm", "none", "expected_average_only_in")),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6)
CFG_KEYS = ("architecture", "d_in", "d_sae", "dtype", "normalize_activations", "reshape_activations", "k",
            "apply_b_dec_to_input", "rescale_acts_by_decoder_norm", "metadata", "sae_playground_format", "hparams")
HPARAM_KEYS = ("lr", "batch_size", "l1", "rho", "beta", "k", "aux_k_coef", "l0_coef", "bandwidth", "unknown")


def _mutate_cfg(draw, cfg_bytes: bytes) -> bytes:
    how = draw(st.sampled_from(("field", "drop", "hparams", "facts", "text", "deep", "bignum", "not_object")))
    cfg = json.loads(cfg_bytes)
    if how == "field":
        cfg[draw(st.sampled_from(CFG_KEYS))] = draw(JSON_VALUES)
    elif how == "drop":
        cfg.pop(draw(st.sampled_from(CFG_KEYS)), None)
    elif how == "hparams":
        facts = cfg.setdefault("metadata", {}).setdefault("sae_playground", {})
        if isinstance(facts.get("hparams"), dict) and draw(st.booleans()):
            facts["hparams"][draw(st.sampled_from(HPARAM_KEYS))] = draw(JSON_VALUES)
        else:
            facts["hparams"] = draw(JSON_VALUES)
    elif how == "facts":
        cfg.setdefault("metadata", {})["sae_playground"] = draw(JSON_VALUES)
    elif how == "text":
        return draw(st.binary(max_size=64))
    elif how == "deep":
        return b"[" * draw(st.sampled_from((100, 10_000, 200_000))) + b"]"
    elif how == "bignum":
        return b'{"architecture": "relu", "d_in": ' + b"9" * 5000 + b', "d_sae": 6}'
    else:
        cfg = draw(JSON_VALUES)
    return json.dumps(cfg).encode()


def _mutate_weights(draw, weights: bytes) -> bytes:
    from safetensors.numpy import load

    tensors = load(weights)
    how = draw(st.sampled_from(("bytes", "dtype", "shape", "offsets", "header_length", "values", "drop", "pickle",
                                "torch_save")))
    if how == "bytes":
        return _mutate_bytes(draw, weights)
    if how == "pickle":
        return PICKLE
    if how == "torch_save":  # a PyTorch checkpoint renamed: a zip whose data.pkl would run the payload
        import torch

        buf = io.BytesIO()
        torch.save({"W_enc": _Payload()}, buf)
        return buf.getvalue()
    if how == "header_length":
        return struct.pack("<Q", draw(st.sampled_from((0, 2**63, 2**64 - 1, len(weights), 7)))) + weights[8:]
    (length,) = struct.unpack("<Q", weights[:8])
    header, payload = json.loads(weights[8:8 + length]), weights[8 + length:]
    name = draw(st.sampled_from(sorted(k for k in header if k != "__metadata__")))
    if how == "dtype":
        header[name]["dtype"] = draw(st.sampled_from(("F64", "F16", "BF16", "I64", "I8", "U8", "BOOL", "F8_E4M3",
                                                      "F8_E5M2", "C64", "U16", "U32", "X9")))
    elif how == "shape":
        header[name]["shape"] = draw(st.sampled_from(([2**40, 2**40], [0], [], [-1, 6], [10**6, 10**6], [6, 4])))
    elif how == "offsets":
        header[name]["data_offsets"] = draw(st.sampled_from(([0, 2**62], [10, 0], [-1, 5], [0, 0])))
    elif how == "values":
        values = dict(tensors)
        t = values[name].astype(np.float32).copy()
        with np.errstate(over="ignore"):
            t.flat[draw(st.integers(0, t.size - 1))] = draw(st.sampled_from(SPECIAL_FLOATS))
        if draw(st.booleans()):
            t[...] = draw(st.sampled_from((3e38, -3e38, 1e30)))
        values[name] = t
        from safetensors.numpy import save

        return save(values)
    else:
        del header[name]
    return safetensors_bytes(header, payload)


def zip_of(members: list[tuple[str, bytes, int]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data, method in members:
            zf.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), data, compress_type=method)
    return buf.getvalue()


def raw_zip(members: list[tuple[str, bytes, int, int, int, int]]) -> bytes:
    """A zip written field by field: (name, stored bytes, method, crc, compressed size, declared size) per
    member, so a member can claim any size; zipfile would write the true one."""
    out, central = bytearray(), bytearray()
    for name, data, method, crc, csize, usize in members:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, csize, usize, len(encoded), 0)
        out += encoded + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, csize, usize,
                               len(encoded), 0, 0, 0, 0, 0, offset)
        central += encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0)
    return bytes(out + central + end)


@lru_cache(maxsize=None)
def zip_bombs() -> dict[str, bytes]:
    """Archives that unpack to far more than they weigh (about 1 MiB each)."""
    relu = base_models()["relu"]
    cfg = relu["m/cfg.json"]
    gib = _zeros_deflate(1024)
    cfg_member = ("m/cfg.json", cfg, zipfile.ZIP_STORED, zlib.crc32(cfg), len(cfg), len(cfg))
    return {
        # Honest headers: 1 GiB of zeros, declared.
        "declared 1 GiB": raw_zip([cfg_member, ("m/sae_weights.safetensors", gib, zipfile.ZIP_DEFLATED, 0,
                                                len(gib), 2**30)]),
        # Lying headers: declares 1 kB, inflates to 1 GiB.
        "declares 1 kB, holds 1 GiB": raw_zip([cfg_member, ("m/sae_weights.safetensors", gib, zipfile.ZIP_DEFLATED,
                                                            0, len(gib), 1000)]),
        "cfg.json of 1 GiB": raw_zip([("m/cfg.json", gib, zipfile.ZIP_DEFLATED, 0, len(gib), 1000),
                                      ("m/sae_weights.safetensors", relu["m/sae_weights.safetensors"],
                                       zipfile.ZIP_STORED, zlib.crc32(relu["m/sae_weights.safetensors"]),
                                       len(relu["m/sae_weights.safetensors"]),
                                       len(relu["m/sae_weights.safetensors"]))]),
        # Many members, each small, together past the whole-archive cap.
        "300 members of 1 MiB": raw_zip([cfg_member] + [(f"m/pad{i}.bin", _zeros_deflate(1), zipfile.ZIP_DEFLATED,
                                                         0, len(_zeros_deflate(1)), 2**20) for i in range(300)]),
        # bzip2 inflates a whole compressed chunk in one call, with no bound on what comes out.
        "bzip2, declares 1 kB, holds 20 MiB": raw_zip([cfg_member, ("m/sae_weights.safetensors", _bz2_zeros(20),
                                                                    zipfile.ZIP_BZIP2, 0, len(_bz2_zeros(20)), 1000)]),
    }


@lru_cache(maxsize=None)
def _bz2_zeros(mib: int) -> bytes:
    return bz2.compress(bytes(mib * 2**20), 9)


TRAVERSAL = ("../cfg.json", "/etc/cfg.json", "m/../../sae_weights.safetensors", "..\\..\\x", "C:\\x\\cfg.json",
             "C:/x", "/", "..", "m/./../x")


@st.composite
def model_zips(draw) -> tuple[str, bytes]:
    arch = draw(st.sampled_from(sorted(base_models())))
    files = dict(base_models()[arch])
    how = draw(st.sampled_from(("valid", "bytes", "cfg", "weights", "traversal", "members", "method", "bomb",
                                "not_zip", "encrypted")))
    method = zipfile.ZIP_DEFLATED
    members = [(name, data, method) for name, data in files.items()]
    if how == "cfg":
        members = [(n, _mutate_cfg(draw, d) if n.endswith("cfg.json") else d, m) for n, d, m in members]
    elif how == "weights":
        members = [(n, _mutate_weights(draw, d) if n.endswith("sae_weights.safetensors") else d, m)
                   for n, d, m in members]
    elif how == "traversal":
        name = draw(st.sampled_from(TRAVERSAL))
        if draw(st.booleans()):
            members.append((name, b"x", method))
        else:  # the model's own files, moved outside the folder
            members = [(name if n.endswith("cfg.json") else n, d, m) for n, d, m in members]
    elif how == "members":
        change = draw(st.sampled_from(("drop_cfg", "drop_weights", "duplicate", "renamed", "empty")))
        if change == "drop_cfg":
            members = [m for m in members if not m[0].endswith("cfg.json")]
        elif change == "drop_weights":
            members = [m for m in members if not m[0].endswith("sae_weights.safetensors")]
        elif change == "duplicate":
            members.append(("n/" + members[0][0].split("/")[1], members[0][1], method))
        elif change == "renamed":
            members = [(n.replace("cfg.json", "config.json"), d, m) for n, d, m in members]
        else:
            members = []
    elif how == "method":
        method = draw(st.sampled_from((zipfile.ZIP_STORED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)))
        members = [(n, d, method) for n, d, _ in members]
    elif how == "bomb":
        bomb = draw(st.sampled_from(sorted(zip_bombs())))
        return f"bomb: {bomb}", zip_bombs()[bomb]
    elif how == "not_zip":
        return how, draw(st.sampled_from((PICKLE, b"", b"PK", b"PK\x05\x06" + bytes(18), files["m/cfg.json"],
                                          gzip.compress(b"x"))))
    data = zip_of(members)
    if how == "bytes":
        data = _mutate_bytes(draw, data)
    elif how == "encrypted":  # the flag bit that says "encrypted", set on every member
        data = data.replace(b"PK\x03\x04\x14\x00\x00\x00", b"PK\x03\x04\x14\x00\x01\x00")
        data = data.replace(b"PK\x01\x02\x14\x00\x14\x00\x00\x00", b"PK\x01\x02\x14\x00\x14\x00\x01\x00")
    return how, data


# --- URL parameters --------------------------------------------------------------------------------------

def page_states() -> list[type]:
    """Every page state in app_core.state: a dataclass with URL fields, found by looking, so a new page's
    state is fuzzed without a line here."""
    import app_core.state as package
    from app_core.state import codec

    found = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"app_core.state.{info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == module.__name__ \
                    and codec._url_fields(value):
                found[value.__name__] = value
    return [found[name] for name in sorted(found)]


EXTREME_TEXT = ("", " ", "nan", "NaN", "inf", "-inf", "Infinity", "1e308", "-1e308", "1e309", "1e-320", "-0",
                "0x10", "1_0", "１２", "٣", "+1", " 1", "1 ", "1e2", "true", "None", "auto", "\x00", "\n", "\u202e",
                "😀", "%00", "../../etc/passwd", "/" + "a" * 300, "a" * 256, "é" * 200, "x" * 10_000, "9" * 5000,
                "1," * 5000, "~" * 1000, "gaussian,0,1", "gaussian,nan,1", "uniform,1e308,1", "mixture,0,1e-320",
                ",".join(["1e308"] * 10), ",".join(["1e-320"] * 10), ",".join(["0"] * 9 + ["5e-324"]),
                ",".join(["0.1"] * 10), ",".join(["0"] * 10), "2,-1.5,0.3,0,-0.2,1", "3,3,3,3,3,3.05")


def _valid_texts(kind) -> st.SearchStrategy[str]:
    """Values a field accepts, written the way the codec writes them, and nearby."""
    from app_core.state import codec

    name = type(kind).__name__
    if isinstance(kind, codec.Choice):
        return st.sampled_from(kind.options)
    if isinstance(kind, codec.Grid):
        return st.sampled_from(kind.values).map(lambda v: f"{v:g}")
    if isinstance(kind, codec.Integer):
        return st.integers(kind.lo - 2, kind.hi + 2).map(str)
    if isinstance(kind, codec.Number):
        return st.floats(kind.lo, kind.hi).map(lambda v: draw_format(v))
    if isinstance(kind, codec.Stepped):
        steps = int(round((kind.hi - kind.lo) / kind.step))
        return st.integers(-1, steps + 1).map(lambda k: f"{kind.lo + k * kind.step:g}")
    if isinstance(kind, codec.Flag):
        return st.sampled_from(("0", "1"))
    if isinstance(kind, codec.OrAuto):
        return st.just("auto") | _valid_texts(kind.kind)
    if name == "DensityField":
        return st.tuples(st.sampled_from(("gaussian", "uniform", "laplace", "mixture", "cauchy")),
                         st.floats(-7, 7), st.floats(0, 4)).map(lambda t: f"{t[0]},{t[1]:.3g},{t[2]:.3g}")
    if name == "BarsField":
        return st.lists(st.floats(0, 10) | st.sampled_from((0.0, 1e308, 1e-320, 5e-324)), min_size=9,
                        max_size=11).map(lambda v: ",".join(f"{x:g}" if x > 1e-300 else repr(x) for x in v))
    if name == "VectorField":
        return st.lists(st.integers(-31, 31).map(lambda k: f"{k / 10:g}"), min_size=5, max_size=7).map(",".join)
    return st.text(max_size=40)  # Text, and any kind added later


def draw_format(value: float) -> str:
    return repr(value) if abs(value) < 1e-4 or len(f"{value:g}") > 8 else f"{value:g}"


@lru_cache(maxsize=None)  # strategies are built once: building one per example cost more than the example
def parameter_values(kind) -> st.SearchStrategy[str]:
    return st.one_of(_valid_texts(kind), _valid_texts(kind), st.sampled_from(EXTREME_TEXT),
                     st.text(max_size=30), st.floats().map(repr), st.integers(-10**30, 10**30).map(str))


UNKNOWN_NAMES = st.sampled_from(("present", "talk", "scene", "utm_source", "embed", "", "x" * 300, "😀")) \
    | st.text(max_size=8)
UNKNOWN_VALUES = st.text(max_size=30) | st.sampled_from(EXTREME_TEXT)


@lru_cache(maxsize=None)
def url_queries(cls) -> st.SearchStrategy[dict[str, str]]:
    """A query string's parameters: some of the page's own (valid, near-valid or garbage), some unknown.
    Built once per page: a strategy built inside each example cost more than the example."""
    from app_core.state import codec

    fields = codec._url_fields(cls)
    known = {param for _, param, _, _ in fields}
    own = st.lists(st.sampled_from(fields), max_size=min(len(fields), 6), unique=True).flatmap(
        lambda chosen: st.fixed_dictionaries({param: parameter_values(kind) for _, param, kind, _ in chosen}))
    unknown = st.dictionaries(UNKNOWN_NAMES.filter(lambda name: name not in known), UNKNOWN_VALUES, max_size=3)
    return st.tuples(own, unknown).map(lambda both: {**both[1], **both[0]})


def talk_texts() -> st.SearchStrategy[str]:
    from app_core.talk import SCENES

    slugs = [scene.slug for scene in SCENES]
    names = st.sampled_from(slugs) | st.sampled_from(EXTREME_TEXT) | st.text(max_size=20)
    return st.one_of(st.lists(names, max_size=12).map("~".join),
                     st.lists(st.sampled_from(slugs), min_size=90, max_size=130).map("~".join),
                     st.sampled_from(EXTREME_TEXT), st.text(max_size=200))


# --- the properties --------------------------------------------------------------------------------------

def check_array(data: bytes, filename: str) -> str | None:
    """None if accepted (and then the array is what the trainer needs), else the rejection message."""
    from sae_core.data.arrays import load_array_bytes

    try:
        x = load_array_bytes(data, filename)
    except ValueError as err:
        return rejection(err)
    finally:
        assert_nothing_executed()
    assert x.dtype == np.float32 and x.ndim == 2 and x.shape[0] >= 2 and np.isfinite(x).all()
    return None


def check_idx(folder: Path) -> str | None:
    from sae_core.data import load_dataset

    try:
        data = load_dataset(str(folder))
    except ValueError as err:
        return rejection(err)
    finally:
        assert_nothing_executed()
    assert data.x.dtype == np.float32 and data.x.ndim == 2 and np.isfinite(data.x).all()
    assert data.image_shape is not None and data.x.shape[1] == data.image_shape[0] * data.image_shape[1]
    assert data.labels is None or len(data.labels) == len(data.x)
    return None


def check_zip(data: bytes) -> str | None:
    import torch

    from sae_core.models import SPECS
    from sae_core.models.persistence import from_zip

    try:
        model, hp, cfg = from_zip(data)
    except ValueError as err:
        return rejection(err)
    finally:
        assert_nothing_executed()
    assert model.architecture in SPECS and (model.d_in, model.d_sae) == (cfg["d_in"], cfg["d_sae"])
    assert all(torch.isfinite(p).all() for p in model.parameters())
    for name in ("lr", "l1", "rho", "beta", "aux_k_coef", "l0_coef", "bandwidth"):
        assert isinstance(getattr(hp, name), float) and math.isfinite(getattr(hp, name))
    assert isinstance(hp.k, int) and isinstance(hp.batch_size, int) and hp.k >= 1
    assert isinstance(cfg["load_notes"], list)
    return None


def check_state(cls, query: dict[str, str]) -> list[str]:
    """The rejection messages (possibly none) of a URL; asserts everything a page relies on."""
    from sae_core.divergence.measures import as_distribution
    from app_core.state import codec

    state, problems = codec.from_query(cls, query)
    assert isinstance(state, cls)
    for message in problems:
        assert isinstance(message, str) and message.strip() and len(message) <= MAX_MESSAGE, message[:200]
    fields = codec._url_fields(cls)
    for _, param, kind, _ in fields:  # a value taken without a word must be one the field accepts
        if param in query and not any(f"'{param}'" in m for m in problems):
            kind.parse(str(query[param]), param)
    known = {param for _, param, _, _ in fields}
    assert codec.from_query(cls, {k: v for k, v in query.items() if k in known}) == (state, problems), \
        "an unknown parameter changed the state"
    again = codec.to_query(state)
    assert all(isinstance(v, str) for v in again.values())
    assert codec.from_query(cls, again) == (state, []), f"{again} does not round-trip"
    # What pages do with these fields next must not raise either.
    for name in ("p_bars", "q_bars"):
        if hasattr(state, name):
            as_distribution(getattr(state, name))
    if hasattr(state, "idx_folder"):
        Path(state.idx_folder.strip()).is_dir()
    return problems


def check_talk(text: str) -> list[str]:
    from app_core.talk import parse_talk, talk_text
    from app_core.talk.talk import MAX_SCENES, Talk, scene_query, talk_for

    scenes, problems = parse_talk(text)
    for message in problems:
        assert isinstance(message, str) and message.strip() and len(message) <= MAX_MESSAGE, message[:200]
    assert len(scenes) <= MAX_SCENES
    assert parse_talk(talk_text(scenes)) == (scenes, []), "a talk does not round-trip"
    talk, _ = talk_for("kl_divergence", text)
    for scene in talk.scenes[:3]:
        assert all(isinstance(v, str) for v in scene_query(scene, Talk(scenes, True)).values())
    return problems
