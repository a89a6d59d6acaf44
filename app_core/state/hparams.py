"""A page state's knob fields, made from the architectures' specs, and from a page's state to the hyperparameters
it trains with."""

from __future__ import annotations

from typing import Iterable

from sae_core.models import HParams, spec_of
from sae_core.training.presets import default_hparams
from app_core.state.codec import Grid, url_field

LEARNING_RATES = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2)


def with_knobs(state, arch: str, kind: str, lr: float | None) -> HParams:
    """`arch`'s preset for `kind` of data, its sparsity knobs read from `state`'s fields of the same
    names, and the learning rate `lr` (None keeps the preset's)."""
    hp, _ = default_hparams(arch, kind)
    for knob in spec_of(arch).knobs:
        value = getattr(state, knob.param)
        setattr(hp, knob.param, int(value) if knob.integer else value)
    if lr is not None:
        hp.lr = lr
    return hp


def knob_fields(specs: Iterable, after: str, starts: dict[str, float] | None = None):
    """A class decorator, under `@dataclass`: a URL field for every knob of `specs`, placed after the field `after`
    (so links keep their parameters' order). Each is named and carried in the URL by the knob's `param`, takes the
    knob's slider positions, and starts at its preset for images, or at `starts[param]`. A knob two architectures
    share is one field."""
    knobs = {}
    for spec in specs:
        for knob in spec.knobs:
            knobs.setdefault(knob.param, knob)

    def add(cls):
        annotations = {}
        for name, kind in cls.__dict__.get("__annotations__", {}).items():
            annotations[name] = kind
            if name != after:
                continue
            for param, knob in knobs.items():
                annotations[param] = "int" if knob.integer else "float"
                start = (starts or {}).get(param, knob.default("images"))
                setattr(cls, param, url_field(param, Grid(knob.values, integer=knob.integer), start,
                                              label=knob.label.split(" — ")[0]))
        if after not in annotations:
            raise ValueError(f"{cls.__name__} has no field {after!r} to put the knobs after")
        cls.__annotations__ = annotations
        return cls

    return add
