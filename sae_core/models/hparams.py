"""`HParams`, made from the architectures' specs: the fields every run shares, then each spec's knobs and settings.

A new architecture's knob (or fixed setting) becomes an `HParams` field by being declared in its `ArchSpec`; no
field is written here by hand. A knob's default is its preset for dense data (images and arrays), the kind inputs
are normalised to.
"""

from __future__ import annotations

from dataclasses import field, make_dataclass
from typing import Iterable

# What every architecture trains with: name, type, default.
SHARED = (
    ("lr", float, 3e-3),
    ("adam_beta2", float, 0.999),  # Adam's second-moment decay; lower adapts faster in short runs
    ("batch_size", int, 256),
)


def hparams_fields(specs: Iterable) -> list[tuple[str, type, object]]:
    """(name, type, default) of every field, in order: shared, then each spec's knobs and settings in turn. A knob
    or setting two architectures share is one field; declaring it with another type is an error."""
    found: dict[str, tuple[str, type, object]] = {}

    def add(name: str, kind: type, default) -> None:
        if name in found and found[name][1] is not kind:
            raise TypeError(f"HParams field {name!r} declared both {found[name][1].__name__} and {kind.__name__}")
        found.setdefault(name, (name, kind, default))

    for name, kind, default in SHARED:
        add(name, kind, default)
    for spec in specs:
        for knob in spec.knobs:
            add(knob.param, int if knob.integer else float, knob.default("images"))
        for name, value in spec.settings.items():
            add(name, type(value), value)
    return list(found.values())


def hparams_class(specs: Iterable) -> type:
    """The mutable dataclass of every knob a page can turn while training runs (read afresh at each step)."""
    cls = make_dataclass("HParams", [(name, kind, field(default=default))
                                     for name, kind, default in hparams_fields(specs)])
    cls.__module__ = "sae_core.models"  # where it is published: pickling and repr find it there
    cls.__doc__ = "Every knob a page can turn while training runs; read afresh at each step. Made from the specs."
    return cls
