"""Held-out bits per character: the LM's cross-entropy on files it never trained on.

Each file is read as the training stream has it (after a newline), by the same causal sliding windows
as `mlp_activations`; the bits of all its bytes are summed and divided by its characters (for ASCII,
bits per byte). At most `max_chars` characters are scored, files in corpus order.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

from sae_core.lm import text as text_io
from sae_core.lm.corpus import SEPARATOR, SourceFile
from sae_core.lm.model import ByteLM

DEFAULT_MAX_CHARS = 400_000  # every default held-out file


@torch.no_grad()
def bits_per_char(model: ByteLM, files: tuple[SourceFile, ...] | list[SourceFile],
                  max_chars: int = DEFAULT_MAX_CHARS) -> float:
    total_bits, total_chars = 0.0, 0
    for f in files:
        if total_chars >= max_chars:
            break
        body = f.text[:max_chars - total_chars]
        data, _ = text_io.encode(SEPARATOR + body)
        if len(data) < 2:
            continue
        logits = model.byte_outputs(data[:-1], want="logits")  # [n_bytes − 1, 256]
        targets = torch.as_tensor(data[1:].astype(np.int64))
        total_bits += float(F.cross_entropy(logits, targets, reduction="sum")) / math.log(2)
        total_chars += len(body)
    if total_chars == 0:
        raise ValueError("no held-out text to score")
    return total_bits / total_chars
