"""The Feature explorer's state: how latents are sorted and filtered, and which one is inspected."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sae_core.evaluation.features import DENSITY_FLOOR, SORTS
from app_core.state.codec import Choice, Flag, Integer, Number, url_field


@dataclass(frozen=True)
class ExplorerState:
    sort: str = url_field("sort", Choice(tuple(SORTS)), "density")
    density_low: float = url_field("dlo", Number(DENSITY_FLOOR, 0.0), DENSITY_FLOOR, label="lowest log10 density")
    density_high: float = url_field("dhi", Number(DENSITY_FLOOR, 0.0), 0.0, label="highest log10 density")
    hide_dead: bool = url_field("hide_dead", Flag(), False, label="hide dead latents")
    latent: int = url_field("latent", Integer(0, 1_000_000), 0)

    def checked(self) -> tuple["ExplorerState", list[str]]:
        if self.density_low <= self.density_high:
            return self, []
        return replace(self, density_low=self.density_high, density_high=self.density_low), \
            ["The density range was given upside down; its ends were swapped."]
