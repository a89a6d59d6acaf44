"""Step-wise SAE training: the caller runs `step(n)` as often as it likes and may ask for a batch snapshot."""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import asdict, dataclass

import numpy as np
import torch

from sae_core.data.dataset import normalisation_scale
from sae_core.evaluation.evaluate import Evaluation, evaluate
from sae_core.evaluation.metrics import dead_window
from sae_core.models import SAE, HParams
from sae_core.training.adam import FusedAdam
from sae_core.training.precision import resolve
from sae_core.training.schedule import Schedule

HISTORY_LENGTH = 1000  # snapshots kept: a live run steps for as long as a visitor watches


def default_device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


@dataclass
class Snapshot:
    """What one call to `Trainer.step` reports (batch metrics, cheap to compute)."""

    step: int
    samples: int
    epoch: float
    loss: float
    mse: float  # mean over the batch of ‖x − x̂‖² in normalised units
    fve: float  # fraction of variance explained on the batch
    l0: float
    dead_fraction: float  # latents silent for the whole dead-latent window (0 until it has passed)
    mean_activation: float  # KL model: mean firing rate ρ̂; others: mean activation
    seconds: float

    def as_dict(self) -> dict:
        return asdict(self)


class Trainer:
    """Owns the normalised data, the model and the optimiser; hyperparameters may change between steps.

    x: [n, d] in original units; it is multiplied by `input_scale` s so that E‖s·x‖² = d (SAELens), and
    s is kept so exports and evaluations work in the original space.
    """

    def __init__(self, model: SAE, x: np.ndarray, hp: HParams | None = None, seed: int = 0,
                 device: torch.device | str | None = None, resample_every: int = 0,
                 precision: str = "auto", schedule: Schedule | None = None):
        if x.ndim != 2 or x.shape[1] != model.d_in:
            raise ValueError(f"data have shape {x.shape}, the model expects [n, {model.d_in}]")
        self.device = torch.device(device) if device else default_device()
        self.hp = hp or HParams()
        self.precision = resolve(precision, self.device, model.d_in * model.d_sae)  # of training's products
        self.schedule = schedule  # when set, k and the learning rate follow it; self.hp holds the targets
        self.input_scale = normalisation_scale(x)
        self.x = torch.as_tensor(np.ascontiguousarray(x, dtype=np.float32) * self.input_scale, device=self.device)
        self.model = model.to(self.device)
        self.seed = seed
        self.resample_every = resample_every
        torch.manual_seed(seed)
        self._gen = torch.Generator(device="cpu").manual_seed(seed)
        with torch.no_grad():
            self.model.b_dec.copy_(self.x.mean(dim=0))  # decoder bias starts at the data mean
        # One fused kernel per step instead of several passes; elsewhere torch's own (see adam.py for why not always).
        if self.device.type in ("cpu", "cuda"):
            self.optim = FusedAdam(self.model.parameters(), lr=self.hp.lr, betas=(0.9, 0.999))
        else:
            self.optim = torch.optim.Adam(self.model.parameters(), lr=self.hp.lr, betas=(0.9, 0.999))
        self.step_count = 0
        self.samples = 0
        self.seconds = 0.0
        # This epoch's samples in shuffled order, rewritten in place each epoch: a fresh copy of the data
        # per epoch costs a page fault per 4 KiB, about as long as the copy itself.
        self._shuffled = torch.empty_like(self.x)
        self._cursor = len(self.x)  # the first batch starts an epoch
        self.samples_since_fired = torch.zeros(model.d_sae, dtype=torch.long, device=self.device)
        self.history: deque[Snapshot] = deque(maxlen=HISTORY_LENGTH)

    # --- batching ------------------------------------------------------------------------------
    def _next_batch(self) -> torch.Tensor:
        bs = max(1, min(int(self.hp.batch_size), len(self.x)))
        if self._cursor + bs > len(self._shuffled):
            # One shuffled copy per epoch, then every batch is a contiguous slice (no per-step gather).
            order = torch.randperm(len(self.x), generator=self._gen).to(self.device)
            torch.index_select(self.x, 0, order, out=self._shuffled)
            self._cursor = 0
        batch = self._shuffled[self._cursor:self._cursor + bs]
        self._cursor += bs
        return batch

    # --- training ------------------------------------------------------------------------------
    def step(self, n: int = 1, snapshot: bool = True) -> Snapshot | None:
        """Run n optimiser steps; with `snapshot`, record (in `history`) and return the last one's metrics.

        A live run measures on its own evaluation inputs instead and passes snapshot=False.
        """
        if n < 1:
            raise ValueError("n must be at least 1")
        model = self.model
        started = time.perf_counter()
        model.train()
        for _ in range(n):
            batch, loss, out = self._one_step()
        self.seconds += time.perf_counter() - started
        if not snapshot:
            return None
        snap = self._snapshot(batch, loss, out)
        self.history.append(snap)
        return snap

    def _one_step(self):
        """One optimiser step; returns (batch, losses, forward output) for the snapshot."""
        model = self.model
        hp = self.schedule.at(self.hp, self.step_count) if self.schedule else self.hp
        for group in self.optim.param_groups:
            group["lr"], group["betas"] = hp.lr, (0.9, hp.adam_beta2)
        batch = self._next_batch()
        model.dead_mask = self.dead_mask()
        loss, out = model.loss_and_grads(batch, hp, self.precision)
        if not torch.isfinite(loss.total):
            raise FloatingPointError("the loss became NaN or infinite; lower the learning rate and reset")
        model.remove_parallel_grad()
        self.optim.step()
        model.normalise_decoder()
        with torch.no_grad():
            fired = out.fired_any()
            self.samples_since_fired += len(batch)
            self.samples_since_fired[fired] = 0
        self.step_count += 1
        self.samples += len(batch)
        if self.resample_every and self.step_count % self.resample_every == 0:
            self.resample_dead()
        return batch, loss, out

    @torch.no_grad()
    def _snapshot(self, batch, loss, out) -> Snapshot:
        err = loss.mse * len(batch)  # loss.mse is the batch mean of ‖x − x̂‖²
        var = (batch - batch.mean(dim=0)).pow(2).sum().clamp_min(1e-12)
        mean_act = self.model.latent_means(out.f).mean()
        dead = self.dead_fraction() or 0.0
        return Snapshot(
            step=self.step_count, samples=self.samples, epoch=self.samples / len(self.x),
            loss=float(loss.total), mse=float(loss.mse), fve=float(1 - err / var),
            l0=float(out.active.float().sum(dim=1).mean()), dead_fraction=dead,
            mean_activation=float(mean_act), seconds=self.seconds,
        )

    def dead_mask(self) -> torch.Tensor:
        """Latents that have not fired for a whole dead-latent window (evaluation/metrics.py). [d_sae] bool"""
        return self.samples_since_fired > dead_window(len(self.x))

    def dead_fraction(self) -> float | None:
        """Fraction of latents silent for the whole window; None until a full window has been seen."""
        if self.samples < dead_window(len(self.x)):
            return None
        return float(self.dead_mask().float().mean())

    @torch.no_grad()
    def resample_dead(self) -> int:
        """Re-initialise dead latents towards inputs the model reconstructs worst (Anthropic, 2023)."""
        dead = torch.nonzero(self.dead_mask()).flatten()
        if len(dead) == 0:
            return 0
        model = self.model
        sample = self.x[torch.randint(len(self.x), (min(len(self.x), 4096),), generator=self._gen).to(self.device)]
        out = model(sample, self.hp)
        err = (sample - out.x_hat).pow(2).sum(dim=1)
        pick = torch.multinomial(err / err.sum(), len(dead), replacement=len(dead) > len(sample), generator=None)
        directions = sample[pick] - model.b_dec
        directions /= directions.norm(dim=1, keepdim=True).clamp_min(1e-8)
        alive = ~torch.isin(torch.arange(model.d_sae, device=self.device), dead)
        enc_norm = model.W_enc[:, alive].norm(dim=0).mean() if alive.any() else torch.tensor(1.0)
        model.W_dec[dead] = directions
        model.W_enc[:, dead] = directions.t() * enc_norm * 0.2
        model.b_enc[dead] = 0.0
        for p in (model.W_dec, model.W_enc, model.b_enc):
            state = self.optim.state.get(p)
            if state:
                for key in ("exp_avg", "exp_avg_sq"):
                    if p is model.W_enc:
                        state[key][:, dead] = 0
                    else:
                        state[key][dead] = 0
        self.samples_since_fired[dead] = 0
        return len(dead)

    # --- saving and resuming -------------------------------------------------------------------
    def state_dict(self) -> dict:
        """Everything that decides the steps to come, as tensors and plain values only, so that
        `torch.load(..., weights_only=True)` reads it back without running any code: the model, Adam's moments,
        the counters, the dead-latent window, and where the shuffled epoch and its random generator stand."""
        params = self.optim.param_groups[0]["params"]
        return {
            "model": {name: value.detach().cpu().clone() for name, value in self.model.state_dict().items()},
            "optim": [{name: value.detach().cpu().clone() for name, value in self.optim.state.get(p, {}).items()}
                      for p in params],
            "step_count": self.step_count, "samples": self.samples, "seconds": self.seconds,
            "samples_since_fired": self.samples_since_fired.cpu().clone(),
            "generator": self._gen.get_state(), "shuffled": self._shuffled.cpu().clone(), "cursor": self._cursor,
        }

    def load_state_dict(self, state: dict) -> None:
        """Continue from `state_dict()` of a trainer built the same way (model, data, seed): the steps that follow
        are the ones the saved trainer would have taken."""
        params = self.optim.param_groups[0]["params"]
        if len(state["optim"]) != len(params) or state["shuffled"].shape != self._shuffled.shape:
            raise ValueError("the saved training does not match this trainer's model or data")
        self.model.load_state_dict(state["model"])
        self.optim.state.clear()
        for p, saved in zip(params, state["optim"]):
            if saved:
                self.optim.state[p] = {name: value.to(p.device) for name, value in saved.items()}
        self.step_count, self.samples = int(state["step_count"]), int(state["samples"])
        self.seconds = float(state["seconds"])
        self.samples_since_fired.copy_(state["samples_since_fired"])
        self._gen.set_state(state["generator"])
        self._shuffled.copy_(state["shuffled"])
        self._cursor = int(state["cursor"])

    # --- evaluation ----------------------------------------------------------------------------
    def evaluate(self, x_original: np.ndarray, true_features: np.ndarray | None = None) -> Evaluation:
        return evaluate(self.model, self.hp, x_original, self.input_scale, true_features)


def steps_for_epochs(n_samples: int, batch_size: int, epochs: float) -> int:
    return max(1, math.ceil(epochs * n_samples / batch_size))
