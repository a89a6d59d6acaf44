"""Step-wise SAE training: a page calls `step(n)` each tick and gets a metrics snapshot back."""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass

import numpy as np
import torch

from . import metrics
from .data.dataset import normalisation_scale
from .models import SAE, HParams
from .precision import resolve
from .schedule import Schedule

DEAD_WINDOW_SAMPLES = 20_000


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
    dead_fraction: float  # latents that have not fired in the last DEAD_WINDOW_SAMPLES samples
    mean_activation: float  # KL model: mean firing rate ρ̂; others: mean activation
    seconds: float

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Evaluation:
    """Metrics over a whole dataset, in the original input units."""

    l0: float
    mse: float
    normalised_mse: float
    fve: float
    dead_fraction: float
    shrinkage: float
    mean_activation: float
    mmcs: float | None = None
    matched_cosine: float | None = None

    def as_dict(self) -> dict:
        return {k: (None if v is None else round(float(v), 6)) for k, v in asdict(self).items()}


class Trainer:
    """Owns the normalised data, the model and the optimiser; hyperparameters may change between steps.

    x: [n, d] in original units; it is scaled by s so that E‖s·x‖² = d (SAELens), and s is kept so
    exports and evaluations work in the original space.
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
        self.scale = normalisation_scale(x)
        self.x = torch.as_tensor(np.ascontiguousarray(x, dtype=np.float32) * self.scale, device=self.device)
        self.model = model.to(self.device)
        self.seed = seed
        self.resample_every = resample_every
        torch.manual_seed(seed)
        self._gen = torch.Generator(device="cpu").manual_seed(seed)
        with torch.no_grad():
            self.model.b_dec.copy_(self.x.mean(dim=0))  # decoder bias starts at the data mean
        fused = self.device.type in ("cpu", "cuda")  # one kernel per step instead of several passes
        self.optim = torch.optim.Adam(self.model.parameters(), lr=self.hp.lr, betas=(0.9, 0.999), fused=fused)
        self.step_count = 0
        self.samples = 0
        self.seconds = 0.0
        # This epoch's samples in shuffled order, rewritten in place each epoch: a fresh copy of the data
        # per epoch costs a page fault per 4 KiB, about as long as the copy itself.
        self._shuffled = torch.empty_like(self.x)
        self._cursor = len(self.x)  # the first batch starts an epoch
        self.samples_since_fired = torch.zeros(model.d_sae, dtype=torch.long, device=self.device)
        self.history: list[Snapshot] = []

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
    def step(self, n: int = 1) -> Snapshot:
        """Run n optimiser steps and return a snapshot of the last one."""
        if n < 1:
            raise ValueError("n must be at least 1")
        model = self.model
        started = time.perf_counter()
        model.train()
        for _ in range(n):
            batch, loss, out = self._one_step()
        self.seconds += time.perf_counter() - started
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
        model.dead_mask = self.samples_since_fired > DEAD_WINDOW_SAMPLES
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
        mean_act = self.model.firing_rates(out).mean() if hasattr(self.model, "firing_rates") else out.f.mean()
        dead = self.dead_fraction() or 0.0
        return Snapshot(
            step=self.step_count, samples=self.samples, epoch=self.samples / len(self.x),
            loss=float(loss.total), mse=float(loss.mse), fve=float(1 - err / var),
            l0=float(out.active.float().sum(dim=1).mean()), dead_fraction=dead,
            mean_activation=float(mean_act), seconds=self.seconds,
        )

    def dead_window(self) -> int:
        """Samples a latent may go without firing before it counts as dead (capped by the dataset size)."""
        return min(DEAD_WINDOW_SAMPLES, len(self.x))

    def dead_fraction(self) -> float | None:
        """Fraction of latents silent for the whole window; None until a full window has been seen."""
        if self.samples < self.dead_window():
            return None
        return float((self.samples_since_fired > self.dead_window()).float().mean())

    @torch.no_grad()
    def resample_dead(self) -> int:
        """Re-initialise dead latents towards inputs the model reconstructs worst (Anthropic, 2023)."""
        dead = torch.nonzero(self.samples_since_fired > DEAD_WINDOW_SAMPLES).flatten()
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

    # --- evaluation ----------------------------------------------------------------------------
    def run_model(self, x_original: np.ndarray):
        return run_model(self.model, self.hp, x_original, self.scale)

    def evaluate(self, x_original: np.ndarray, true_features: np.ndarray | None = None) -> Evaluation:
        return evaluate_model(self.model, self.hp, x_original, self.scale, true_features)


@torch.no_grad()
def run_model(model: SAE, hp: HParams, x_original: np.ndarray, scale: float = 1.0, batch: int = 4096):
    """x̂ (original units), activations f and firing mask for x in original units. Numpy arrays."""
    model.eval()
    device = next(model.parameters()).device
    xs, fs, acts = [], [], []
    for i in range(0, len(x_original), batch):
        xb = torch.as_tensor(x_original[i:i + batch], dtype=torch.float32, device=device) * scale
        out = model(xb, hp)
        xs.append((out.x_hat / scale).cpu())
        fs.append(out.f.cpu())
        acts.append(out.active.cpu())
    model.train()
    return torch.cat(xs).numpy(), torch.cat(fs).numpy(), torch.cat(acts).numpy()


def mean_activation(model: SAE, f: np.ndarray) -> float:
    """Mean activation over inputs and latents; for the KL model its firing rate ρ̂ (sigmoid, gain removed)."""
    if hasattr(model, "gain"):
        return float((f / model.gain().detach().cpu().numpy()).mean())
    return float(f.mean())


def evaluate_model(model: SAE, hp: HParams, x_original: np.ndarray, scale: float = 1.0,
                   true_features: np.ndarray | None = None) -> Evaluation:
    """Whole-dataset metrics; `scale` is the factor the model's inputs were normalised by (1 if folded)."""
    x_hat, f, active = run_model(model, hp, x_original, scale)
    ev = Evaluation(
        l0=metrics.l0(active), mse=metrics.mse(x_original, x_hat),
        normalised_mse=metrics.normalised_mse(x_original, x_hat),
        fve=metrics.explained_variance(x_original, x_hat), dead_fraction=metrics.dead_fraction(active),
        shrinkage=metrics.shrinkage(x_original, x_hat), mean_activation=mean_activation(model, f),
    )
    if true_features is not None:
        dec = model.W_dec.detach().cpu().numpy()
        ev.mmcs = metrics.mmcs(true_features, dec)
        ev.matched_cosine = metrics.matched_mean_cosine(true_features, dec)
    return ev


def steps_for_epochs(n_samples: int, batch_size: int, epochs: float) -> int:
    return max(1, math.ceil(epochs * n_samples / batch_size))
