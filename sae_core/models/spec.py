"""What the rest of the playground needs to know about an architecture, declared beside its model.

Each architecture file ends with one `ArchSpec`; the registry in `models/__init__.py` lists them. Pages,
the command line, the frontier sweep, presets and save/load all read these facts from here, so adding an
architecture touches its own file and one registry line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Kinds of data a preset can be tuned for (see `Dataset.kind`): toy data are sparse and small, while
# images and user arrays are dense and normalised to E‖x‖² = d.
DATA_KINDS = ("toy", "images", "array")


@dataclass(frozen=True)
class Knob:
    """One sparsity control: an `HParams` field, how people see it, and the values it may take."""

    param: str  # the HParams field it sets (and the URL parameter of pages that show it)
    label: str  # the slider's label
    symbol: str  # short name for pinned points, e.g. "λ"
    values: tuple[float, ...]  # the slider's positions, in order (a log grid for log knobs)
    log: bool  # whether the positions are spaced on a log scale
    defaults: dict[str, float]  # per data kind; "toy" and "dense" (images and arrays)
    help: str = ""
    integer: bool = False

    def default(self, kind: str) -> float:
        value = self.defaults["toy" if kind == "toy" else "dense"]
        return int(value) if self.integer else value


@dataclass(frozen=True)
class ArchSpec:
    """An architecture's facts. `model` is its `SAE` subclass."""

    name: str  # the id used in URLs, cfg.json and the command line
    label: str  # what people read
    model: type
    knobs: tuple[Knob, ...]  # in the order pages show them
    sweep: tuple[str, tuple[float, ...]] | None  # the knob the frontier varies, and its values
    learning_rate: dict[str, float] = field(default_factory=lambda: {"toy": 1e-2, "dense": 3e-3})
    adam_beta2: float = 0.999  # Adam's second-moment decay in its default recipe
    firing: str = "its activation is above 0"  # completes "a latent fires when …" in help texts
    saelens_name: str | None = None  # its `architecture` in SAELens' cfg.json, where SAELens has it
    settings: dict[str, float] = field(default_factory=dict)  # training constants no page turns: HParams fields

    def knob(self, param: str) -> Knob:
        for knob in self.knobs:
            if knob.param == param:
                return knob
        raise KeyError(f"{self.name} has no knob {param!r}")
