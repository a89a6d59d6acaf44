"""The Sparsity trade-off page's state: what is trained, its knobs, and which input is inspected."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sae_core.data import BUILTIN
from sae_core.models import HParams, spec_of
from app_core.state.codec import Choice, Grid, Integer, OrAuto, url_field
from app_core.state.hparams import LEARNING_RATES, knob_fields, with_knobs

DATASETS = ("toy", "mnist")
ARCHS = ("relu", "kl")
LATENTS = {"toy": (64, 128), "mnist": (128, 256, 512)}
DEFAULT_LATENTS = {"toy": 64, "mnist": 256}
PROBES = 8


@dataclass(frozen=True)
@knob_fields([spec_of(arch) for arch in ARCHS], after="latents")  # the L1 and KL knobs, from their specs
class TradeoffState:
    data: str = url_field("data", Choice(DATASETS), "mnist")
    arch: str = url_field("arch", Choice(ARCHS), "relu")
    latents: int = url_field("latents", Grid(tuple(sorted({n for v in LATENTS.values() for n in v})), integer=True),
                             DEFAULT_LATENTS["mnist"])
    lr: float | None = url_field("lr", OrAuto(Grid(LEARNING_RATES)), None, label="learning rate")  # None: preset
    seed: int = url_field("seed", Integer(0, 10_000), 0)
    probe: int = url_field("probe", Integer(0, PROBES - 1), 0, label="inspected input")

    def checked(self) -> tuple["TradeoffState", list[str]]:
        if self.latents in LATENTS[self.data]:
            return self, []
        fixed = replace(self, latents=DEFAULT_LATENTS[self.data])
        return fixed, [f"{self.latents} latents is not offered for {BUILTIN[self.data]}; "
                       f"using {fixed.latents}."]

    def run_setup(self):
        """What makes this page's run (a new one when it changes); the knobs are `hparams`."""
        from app_core.live import RunSetup

        return RunSetup(self.data, self.arch, self.latents, self.seed)

    def hparams(self, kind: str) -> HParams:
        """The preset for this architecture and kind of data, with this page's knobs and learning rate."""
        return with_knobs(self, self.arch, kind, self.lr)

