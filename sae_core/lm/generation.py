"""Sampling text from the LM, byte by byte, with an optional steer (steering.py).

Seeded: the same prompt, length, temperature, seed and steer give the same text. Temperature 0 (or below
GREEDY_BELOW) is greedy.
The model reads the last `context` bytes; bytes that do not form UTF-8 show as U+FFFD.
"""

from __future__ import annotations

import math

import torch

from sae_core.lm import text as text_io
from sae_core.lm.steering import Steer

MAX_NEW_BYTES = 10_000
GREEDY_BELOW = 1e-4  # a smaller temperature would overflow logits/T; it samples the top byte anyway


@torch.no_grad()
def generate(model, prompt: str, n: int, temperature: float = 1.0, seed: int = 0, steer: Steer | None = None) -> str:
    """`n` new bytes after `prompt`, decoded (the prompt itself is not repeated)."""
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_NEW_BYTES:
        raise ValueError(f"n must be an integer from 0 to {MAX_NEW_BYTES}, got {n!r}")
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float)) \
            or not math.isfinite(temperature) or temperature < 0:
        raise ValueError(f"the temperature must be a finite number ≥ 0, got {temperature!r}")
    if steer is not None:
        if not isinstance(steer, Steer):
            raise TypeError("steer must be a sae_core.lm.steering.Steer")
        steer.check(model.d_mlp)
    prompt, _ = text_io.clip_text(prompt)
    data, _ = text_io.encode(prompt)
    ids = [int(b) for b in data[-model.context:]] or [ord(text_io.START)]
    gen = torch.Generator().manual_seed(int(seed))
    was_training = model.training
    model.eval()
    out: list[int] = []
    edit = steer.edit if steer is not None else None
    for _ in range(n):
        x = torch.tensor([ids[-model.context:]])
        logits, _ = model(x, edit)
        last = logits[0, -1].double()
        if temperature < GREEDY_BELOW:
            nxt = int(last.argmax())
        else:
            probs = torch.softmax(last / temperature, dim=0)
            nxt = int(torch.multinomial(probs, 1, generator=gen))
        ids.append(nxt)
        out.append(nxt)
    model.train(was_training)
    return text_io.decode(bytes(out))
