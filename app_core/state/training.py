"""The Train page's state: the data (and, for toy data, how they are made), the model and its training."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sae_core.data import BUILTIN, ToyConfig
from sae_core.data.toy import MAGNITUDES
from sae_core.models import SPECS, HParams
from app_core.state.codec import Choice, Grid, Integer, Number, OrAuto, Text, url_field
from app_core.state.hparams import LEARNING_RATES, knob_fields, with_knobs

SOURCES = {**BUILTIN, "idx": "MNIST from a folder of IDX files", "upload": "Upload a .npy or .csv array"}
BATCH_SIZES = (64, 128, 256, 512, 1024, 4096)
_TOY = ToyConfig()
NAME_MAX = 255  # bytes in one file or folder name (Linux, macOS)


@dataclass(frozen=True)
class FolderField(Text):
    """A folder on the server, as text. A name longer than the file system allows makes the lookup raise
    (ENAMETOOLONG) where a missing folder only answers no, so a link carrying one is refused here."""

    def parse(self, text: str, what: str) -> str:
        text = super().parse(text, what)
        if any(len(part.encode("utf-8", "surrogatepass")) > NAME_MAX for part in text.split("/")):
            raise ValueError(f"{what} has a name longer than {NAME_MAX} bytes")
        return text


# TopK starts at k = 16 here, not at its preset for images (20): links that leave k out keep opening what they did.
@dataclass(frozen=True)
@knob_fields(SPECS.values(), after="batch", starts={"k": 16})  # every architecture's knobs, from its spec
class TrainState:
    source: str = url_field("source", Choice(tuple(SOURCES)), "toy")
    toy_features: int = url_field("toy_features", Integer(2, 512), _TOY.n_features, label="true features")
    toy_d: int = url_field("toy_d", Integer(2, 256), _TOY.d, label="dimensions")
    toy_samples: int = url_field("toy_samples", Integer(1000, 200_000), _TOY.n_samples, label="samples")
    toy_prob: float = url_field("toy_prob", Number(0.005, 0.5), _TOY.feature_prob, label="firing probability")
    toy_prob_decay: float = url_field("toy_prob_decay", Number(0.9, 1.0), _TOY.prob_decay, label="probability decay")
    toy_importance: float = url_field("toy_importance", Number(0.9, 1.0), _TOY.importance_decay,
                                      label="importance decay")
    toy_magnitude: str = url_field("toy_magnitude", Choice(MAGNITUDES), _TOY.magnitude, label="magnitudes")
    toy_groups: int = url_field("toy_groups", Integer(0, 64), _TOY.correlated_groups, label="correlated pairs")
    toy_noise: float = url_field("toy_noise", Number(0.0, 0.5), _TOY.noise, label="noise")
    idx_folder: str = url_field("idx_folder", FolderField(), "", label="IDX folder")
    arch: str = url_field("arch", Choice(tuple(SPECS)), "relu", label="architecture")
    latents: int = url_field("latents", Integer(2, 4096), 128)
    epochs: float = url_field("epochs", Number(0.5, 500.0), 30.0)
    lr: float | None = url_field("lr", OrAuto(Grid(LEARNING_RATES)), None, label="learning rate")  # None: preset
    batch: int = url_field("batch", Grid(BATCH_SIZES, integer=True), 256, label="batch size")
    seed: int = url_field("seed", Integer(0, 10_000), 0)

    def toy_config(self) -> ToyConfig:
        return ToyConfig(n_features=self.toy_features, d=self.toy_d, n_samples=self.toy_samples,
                         feature_prob=self.toy_prob, prob_decay=self.toy_prob_decay,
                         importance_decay=self.toy_importance, magnitude=self.toy_magnitude,
                         correlated_groups=self.toy_groups, noise=self.toy_noise, seed=self.seed)

    def checked(self) -> tuple["TrainState", list[str]]:
        try:
            self.toy_config().validate()
        except ValueError as err:
            return replace(self, toy_groups=0), [f"Correlated pairs set to 0: {err}."]
        return self, []

    def hparams(self, kind: str) -> HParams:
        """The preset for this architecture and kind of data, with this page's knobs, learning rate and
        batch size; TopK's k is capped at the number of latents."""
        hp = with_knobs(self, self.arch, kind, self.lr)
        hp.batch_size = self.batch
        hp.k = min(hp.k, self.latents)
        return hp
