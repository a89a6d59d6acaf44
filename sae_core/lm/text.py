"""Text in, bytes out: how any string a visitor types reaches the byte-level model.

Non-ASCII characters are kept, not replaced: the text is encoded as UTF-8, a character of several bytes
is read by the model byte by byte, and that character's row of activations is the one at its *last* byte,
the first position where the model has seen the whole character (so rows stay causal). Lone surrogates,
which UTF-8 cannot encode, become U+FFFD first.

What is analysed is capped (MAX_ANALYSED_CHARS): `clip_text` cuts longer text and says so in a note.
"""

from __future__ import annotations

import numpy as np

START = "\n"  # what an empty prompt starts from: the byte every training file follows
MAX_ANALYSED_CHARS = 100_000  # about 2 s of activations on one core for the default model


def clip_text(text: str, cap: int = MAX_ANALYSED_CHARS) -> tuple[str, str | None]:
    """(the first `cap` characters, a note saying what was cut or None)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if len(text) <= cap:
        return text, None
    return text[:cap], f"only the first {cap:,} of {len(text):,} characters were analysed"


def encode(text: str) -> tuple[np.ndarray, np.ndarray]:
    """(UTF-8 bytes [n_bytes] uint8, index of each character's last byte [n_chars] int64)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if text.isascii():  # the common case: one byte per character
        data = np.frombuffer(text.encode("ascii"), dtype=np.uint8).copy()
        return data, np.arange(len(text), dtype=np.int64)
    safe = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)  # one for one: rows stay aligned
    lengths = np.fromiter((len(c.encode("utf-8")) for c in safe), dtype=np.int64, count=len(safe))
    data = np.frombuffer(safe.encode("utf-8"), dtype=np.uint8).copy()
    return data, np.cumsum(lengths) - 1


def decode(data: bytes | np.ndarray) -> str:
    """Bytes the model wrote, as text; a sequence that is not UTF-8 shows as U+FFFD."""
    raw = data if isinstance(data, (bytes, bytearray)) else np.asarray(data, dtype=np.uint8).tobytes()
    return bytes(raw).decode("utf-8", errors="replace")
