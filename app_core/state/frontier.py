"""The Frontier page's state: which dataset's frontier, and which reconstruction measure."""

from __future__ import annotations

from dataclasses import dataclass

from app_core.state.codec import Choice, url_field

DATASETS = ("toy", "digits", "mnist")
MEASURES = {"mse": "MSE per dimension", "fve": "Explained variance"}


@dataclass(frozen=True)
class FrontierState:
    data: str = url_field("data", Choice(DATASETS), "toy")
    measure: str = url_field("y", Choice(tuple(MEASURES)), "mse", label="reconstruction measure")
