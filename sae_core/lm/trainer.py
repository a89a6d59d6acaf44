"""Step-wise, seeded, resumable training of the byte-level LM, in the SAE trainer's manner.

The caller runs `step(n)` as often as it likes; every batch is a set of random windows of the training
stream drawn from the trainer's own generator, so a run resumed from `state_tensors()` / `state_meta()`
(persistence.py saves them as safetensors + JSON) takes exactly the steps the saved one would have.

Shapes: data [n_bytes] uint8; a batch [batch_size, context + 1] int64 (inputs and next-byte targets).
"""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import asdict, dataclass

import numpy as np
import torch
import torch.nn.functional as F

from sae_core.lm.model import ByteLM

LN2 = math.log(2)


@dataclass
class LMHParams:
    steps: int = 1500  # the run's length: the learning rate's schedule is laid out over it
    batch_size: int = 16
    lr: float = 3e-3
    warmup: int = 50  # steps of linear warm-up before the cosine decay
    lr_end: float = 0.1  # final learning rate as a fraction of lr
    weight_decay: float = 0.01
    grad_clip: float = 1.0

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class LMSnapshot:
    step: int
    bits_per_byte: float  # the last batch's mean cross-entropy, in bits
    lr: float
    seconds: float  # time spent in steps so far

    def as_dict(self) -> dict:
        return asdict(self)


class LMTrainer:
    """Owns the training stream, the model and AdamW."""

    def __init__(self, model: ByteLM, data: np.ndarray, hp: LMHParams | None = None, seed: int = 0):
        self.hp = hp or LMHParams()
        if self.hp.steps < 1 or self.hp.batch_size < 1:
            raise ValueError("steps and batch_size must be at least 1")
        if len(data) < model.context + 2:
            raise ValueError(f"the training text has {len(data)} bytes; at least {model.context + 2} are needed")
        self.model = model
        self.data = torch.as_tensor(np.asarray(data, dtype=np.uint8)).long()
        self.seed = seed
        self._gen = torch.Generator().manual_seed(seed)
        decay = [p for p in model.parameters() if p.dim() == 2]
        rest = [p for p in model.parameters() if p.dim() != 2]
        self.optim = torch.optim.AdamW([{"params": decay, "weight_decay": self.hp.weight_decay},
                                        {"params": rest, "weight_decay": 0.0}], lr=self.hp.lr, betas=(0.9, 0.99))
        self.step_count = 0
        self.seconds = 0.0
        self.history: deque[LMSnapshot] = deque(maxlen=1000)

    @property
    def done(self) -> bool:
        return self.step_count >= self.hp.steps

    def lr_at(self, step: int) -> float:
        """Linear warm-up, then a cosine from lr down to lr·lr_end at hp.steps."""
        hp = self.hp
        if step < hp.warmup:
            return hp.lr * (step + 1) / hp.warmup
        progress = min(1.0, (step - hp.warmup) / max(1, hp.steps - hp.warmup))
        return hp.lr * (hp.lr_end + (1 - hp.lr_end) * 0.5 * (1 + math.cos(math.pi * progress)))

    def _batch(self) -> torch.Tensor:
        c = self.model.context
        starts = torch.randint(0, len(self.data) - c - 1, (self.hp.batch_size,), generator=self._gen)
        return self.data[starts[:, None] + torch.arange(c + 1)]

    def step(self, n: int = 1) -> LMSnapshot:
        """n optimiser steps (never past hp.steps); returns the last one's snapshot, also kept in `history`."""
        if n < 1:
            raise ValueError("n must be at least 1")
        started = time.perf_counter()
        self.model.train()
        loss = torch.tensor(float("nan"))
        lr = self.lr_at(self.step_count)
        for _ in range(min(n, max(1, self.hp.steps - self.step_count))):
            lr = self.lr_at(self.step_count)
            for group in self.optim.param_groups:
                group["lr"] = lr
            batch = self._batch()
            logits, _ = self.model(batch[:, :-1])
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), batch[:, 1:].reshape(-1))
            if not torch.isfinite(loss):
                raise FloatingPointError("the LM's loss became NaN or infinite; lower the learning rate")
            self.optim.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.hp.grad_clip)
            self.optim.step()
            self.step_count += 1
        self.seconds += time.perf_counter() - started
        snap = LMSnapshot(self.step_count, float(loss.detach()) / LN2, lr, self.seconds)
        self.history.append(snap)
        return snap

    # --- resuming: tensors for safetensors, plain values for JSON --------------------------------------------
    def state_tensors(self) -> dict[str, torch.Tensor]:
        out = {f"model.{k}": v.detach().clone().contiguous() for k, v in self.model.state_dict().items()}
        for i, p in enumerate(self._params()):
            for key, value in self.optim.state.get(p, {}).items():
                out[f"optim.{i}.{key}"] = torch.as_tensor(value).detach().clone().float().contiguous()
        out["generator"] = self._gen.get_state().clone()
        return out

    def state_meta(self) -> dict:
        return {"step_count": self.step_count, "seconds": self.seconds, "seed": self.seed, "hparams": self.hp.as_dict()}

    def load_state(self, tensors: dict[str, torch.Tensor], meta: dict) -> None:
        """Continue from `state_tensors()` / `state_meta()` of a trainer built the same way."""
        model_state = {k.removeprefix("model."): v for k, v in tensors.items() if k.startswith("model.")}
        self.model.load_state_dict(model_state)  # strict: names and shapes must match this model
        self.optim.state.clear()
        for i, p in enumerate(self._params()):
            state = {}
            for key in ("step", "exp_avg", "exp_avg_sq"):
                name = f"optim.{i}.{key}"
                if name in tensors:
                    value = tensors[name]
                    if key != "step" and value.shape != p.shape:
                        raise ValueError(f"{name} has shape {tuple(value.shape)}, expected {tuple(p.shape)}")
                    state[key] = value.clone()
            if state:
                self.optim.state[p] = state
        self._gen.set_state(tensors["generator"].to(torch.uint8))
        self.step_count = int(meta["step_count"])
        self.seconds = float(meta["seconds"])

    def _params(self) -> list[torch.nn.Parameter]:
        return [p for group in self.optim.param_groups for p in group["params"]]
