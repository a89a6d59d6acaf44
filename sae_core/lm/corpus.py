"""The corpus: the running interpreter's standard library `.py` files, tests excluded, split by file.

Deterministic for one interpreter: files are ordered by a hash of their path inside the library, the
held-out files are those whose hash falls in the held-out share, and each side stops at its byte cap.
Files that are not UTF-8 are skipped (the byte-level model could read them, but labels need tokenize).
"""

from __future__ import annotations

import hashlib
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DEFAULT_CAP_BYTES = 4_000_000  # training text; the held-out side gets HELDOUT_SHARE of it on top
HELDOUT_SHARE = 0.1
MAX_FILE_BYTES = 200_000  # a few generated tables (unicode data, encodings) would otherwise dominate
TEST_DIRS = {"test", "tests", "idle_test", "testing"}
SEPARATOR = "\n"  # between files in a training stream


@dataclass(frozen=True)
class SourceFile:
    name: str  # path inside the standard library, '/'-separated
    text: str


@dataclass(frozen=True)
class Corpus:
    train: tuple[SourceFile, ...]
    heldout: tuple[SourceFile, ...]

    def train_bytes(self) -> np.ndarray:
        """Every training file's UTF-8 bytes, each after a newline. [n_bytes] uint8"""
        return _stream(self.train)

    def heldout_bytes(self) -> np.ndarray:
        """The same for the held-out files. [n_bytes] uint8"""
        return _stream(self.heldout)

    def describe(self) -> dict:
        return {"train_files": len(self.train), "heldout_files": len(self.heldout),
                "train_chars": sum(len(f.text) for f in self.train),
                "heldout_chars": sum(len(f.text) for f in self.heldout)}


def _stream(files) -> np.ndarray:
    data = "".join(SEPARATOR + f.text for f in files).encode("utf-8")
    return np.frombuffer(data, dtype=np.uint8).copy()


def stdlib_root() -> Path:
    return Path(sysconfig.get_paths()["stdlib"])


def _is_test(rel: Path) -> bool:
    return bool(TEST_DIRS & set(rel.parts[:-1])) or rel.name.startswith("test_") or rel.name == "conftest.py"


def _rank(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big")


def stdlib_files(root: Path | None = None) -> list[str]:
    """Every eligible file's path inside the library, in the corpus's fixed (hashed) order."""
    root = root or stdlib_root()
    names = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root)
        if "site-packages" in rel.parts or "dist-packages" in rel.parts or _is_test(rel):
            continue
        names.append(rel.as_posix())
    return sorted(names, key=lambda n: (_rank(n), n))


def is_heldout(name: str) -> bool:
    return (_rank(name) % 1000) < HELDOUT_SHARE * 1000


def load_corpus(cap_bytes: int = DEFAULT_CAP_BYTES, root: Path | None = None) -> Corpus:
    """Training files up to `cap_bytes` of UTF-8, held-out files up to HELDOUT_SHARE of that."""
    if cap_bytes < 1:
        raise ValueError("the corpus cap must be positive")
    root = root or stdlib_root()
    caps = {False: cap_bytes, True: max(1, int(cap_bytes * HELDOUT_SHARE))}
    taken: dict[bool, list[SourceFile]] = {False: [], True: []}
    sizes = {False: 0, True: 0}
    for name in stdlib_files(root):
        side = is_heldout(name)
        if sizes[side] >= caps[side]:
            if all(sizes[s] >= caps[s] for s in caps):
                break
            continue
        try:
            raw = (root / name).read_bytes()
        except OSError:
            continue
        if len(raw) > MAX_FILE_BYTES or len(raw) + 1 > caps[side] - sizes[side]:  # +1: its separator
            continue  # a file that would overrun the cap is left for a smaller one, keeping the cap exact
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        taken[side].append(SourceFile(name, text))
        sizes[side] += len(raw) + 1
    if not taken[False] or not taken[True]:
        raise ValueError(f"the standard library at {root} gave no training or no held-out files")
    return Corpus(tuple(taken[False]), tuple(taken[True]))
