"""A small byte-level transformer: bytes in, next-byte logits out, and its last MLP's hidden activations.

Pre-LayerNorm GPT blocks with learned positions. The activations the SAEs read are the last block's MLP
hidden units after GELU, one row per position; `mlp_activations` gives one row per *character*, computed
causally from the text up to that character, with a sliding window for text longer than the context.

Shapes: idx [batch, T] int64 bytes (T ≤ context); logits [batch, T, 256]; MLP hidden h [batch, T, d_mlp].
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from sae_core.lm import text as text_io

VOCAB = 256  # bytes
MlpEdit = Callable[[torch.Tensor], torch.Tensor]  # [batch, T, d_mlp] → the same shape


@dataclass(frozen=True)
class LMConfig:
    d_model: int = 128
    n_heads: int = 4
    d_mlp: int = 512
    n_layers: int = 1
    context: int = 128

    def __post_init__(self):
        for name in ("d_model", "n_heads", "d_mlp", "n_layers", "context"):
            value = getattr(self, name)
            if type(value) is not int or not 1 <= value <= 65_536:
                raise ValueError(f"{name} must be an integer from 1 to 65536, got {value!r}")
        if self.d_model % self.n_heads:
            raise ValueError(f"d_model ({self.d_model}) must be a multiple of n_heads ({self.n_heads})")
        if self.context < 2:
            raise ValueError("context must be at least 2 bytes")

    def as_dict(self) -> dict:
        return asdict(self)


class Block(nn.Module):
    def __init__(self, cfg: LMConfig):
        super().__init__()
        self.n_heads = cfg.n_heads
        self.ln1 = nn.LayerNorm(cfg.d_model)
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model)
        self.attn_out = nn.Linear(cfg.d_model, cfg.d_model)
        self.ln2 = nn.LayerNorm(cfg.d_model)
        self.mlp_in = nn.Linear(cfg.d_model, cfg.d_mlp)
        self.mlp_out = nn.Linear(cfg.d_mlp, cfg.d_model)

    def attention(self, x: torch.Tensor) -> torch.Tensor:
        """Causal self-attention. [B, T, d] → [B, T, d]"""
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.n_heads, d // self.n_heads).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)  # masked keys weigh exactly 0
        return self.attn_out(y.transpose(1, 2).reshape(b, t, d))

    def forward(self, x: torch.Tensor, mlp_edit: MlpEdit | None = None, keep: list | None = None) -> torch.Tensor:
        x = x + self.attention(self.ln1(x))
        h = F.gelu(self.mlp_in(self.ln2(x)))
        if mlp_edit is not None:
            h = mlp_edit(h)
        if keep is not None:
            keep.append(h)
        return x + self.mlp_out(h)


class ByteLM(nn.Module):
    """The language model. `generate` and the steering it takes live in generation.py and steering.py."""

    def __init__(self, cfg: LMConfig, seed: int = 0):
        super().__init__()
        self.cfg = cfg
        g = torch.Generator().manual_seed(seed)
        self.embed = nn.Embedding(VOCAB, cfg.d_model)
        self.pos = nn.Embedding(cfg.context, cfg.d_model)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layers))
        self.ln_f = nn.LayerNorm(cfg.d_model)
        self.unembed = nn.Linear(cfg.d_model, VOCAB)
        with torch.no_grad():  # GPT-2's initialisation, drawn from the seed's own generator
            for name, p in self.named_parameters():
                if name.endswith("bias"):
                    p.zero_()
                elif p.dim() == 2:
                    std = 0.02 / math.sqrt(2 * cfg.n_layers) if name.endswith(("attn_out.weight", "mlp_out.weight")) \
                        else 0.02
                    p.copy_(torch.randn(p.shape, generator=g) * std)

    @property
    def d_mlp(self) -> int:
        return self.cfg.d_mlp

    @property
    def context(self) -> int:
        return self.cfg.context

    def forward(self, idx: torch.Tensor, mlp_edit: MlpEdit | None = None,
                keep_mlp: bool = False) -> tuple[torch.Tensor, torch.Tensor | None]:
        """(logits [B, T, 256], the last MLP's hidden [B, T, d_mlp] when `keep_mlp` else None).

        `mlp_edit` replaces the last MLP's hidden activations before they are read out (steering)."""
        t = idx.shape[1]
        if t > self.cfg.context:
            raise ValueError(f"at most {self.cfg.context} bytes per window, got {t}")
        x = self.embed(idx) + self.pos.weight[:t]
        keep: list | None = [] if keep_mlp else None
        last = len(self.blocks) - 1
        for i, block in enumerate(self.blocks):
            x = block(x, mlp_edit if i == last else None, keep if i == last else None)
        return self.unembed(self.ln_f(x)), (keep[0] if keep else None)

    # --- per-character activations --------------------------------------------------------------------------
    def windows(self, n: int) -> list[tuple[int, int, int]]:
        """The sliding windows over n bytes: (start, end, first position read from this window).

        Window k covers [k·C/2, k·C/2 + C); each position after the first window is read from the window where
        it lies in the second half, so every row has at least C/2 bytes of context (or all there are) and
        depends on no later byte."""
        c, half = self.cfg.context, self.cfg.context // 2
        if n <= c:
            return [(0, n, 0)] if n else []
        out = [(0, c, 0)]
        start = half
        while start + half < n:
            out.append((start, min(start + c, n), start + half))
            start += half
        return out

    @torch.no_grad()
    def byte_outputs(self, data: np.ndarray, batch: int = 64, mlp_edit: MlpEdit | None = None,
                     want: str = "mlp") -> torch.Tensor:
        """The last MLP's hidden ("mlp": [n, d_mlp]) or the logits ("logits": [n, 256]) at every byte."""
        was_training = self.training
        self.eval()
        n = len(data)
        width = self.cfg.d_mlp if want == "mlp" else VOCAB
        out = torch.empty(n, width)
        ids = torch.as_tensor(np.asarray(data, dtype=np.int64))
        wins = self.windows(n)
        full = [w for w in wins if w[1] - w[0] == self.cfg.context]
        groups = [full[i:i + batch] for i in range(0, len(full), batch)] + [[w] for w in wins if w not in full]
        for group in groups:
            x = torch.stack([ids[a:b] for a, b, _ in group])
            logits, h = self.forward(x, mlp_edit, keep_mlp=want == "mlp")
            values = h if want == "mlp" else logits
            for row, (a, b, first) in enumerate(group):
                out[first:b] = values[row, first - a:b - a]
        self.train(was_training)
        return out

    def mlp_activations(self, text: str) -> np.ndarray:
        """Every character's last-MLP activations after GELU, computed causally. [len(text), d_mlp] float32

        Non-ASCII characters: the row at the character's last UTF-8 byte (text.py). Text longer than
        text.MAX_ANALYSED_CHARS is refused; `text.clip_text` cuts it and says so."""
        if len(text) > text_io.MAX_ANALYSED_CHARS:
            raise ValueError(f"the text has {len(text):,} characters; at most {text_io.MAX_ANALYSED_CHARS:,} are "
                             "analysed at once (sae_core.lm.text.clip_text cuts it and says so)")
        data, last_byte = text_io.encode(text)
        acts = self.byte_outputs(data)
        return acts[torch.as_tensor(last_byte)].numpy().astype(np.float32, copy=False)

    def generate(self, prompt: str, n: int, temperature: float = 1.0, seed: int = 0, steer=None) -> str:
        """`n` sampled bytes after `prompt`, as text; see generation.generate."""
        from sae_core.lm.generation import generate

        return generate(self, prompt, n, temperature, seed, steer)
