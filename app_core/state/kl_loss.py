"""The "KL as a loss" page's state: the target P (two Gaussian modes), the divergence, and where Q starts."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sae_core.divergence import FIT_DIRECTIONS, GaussianMixture
from app_core.state.codec import Choice, Stepped, nearest_on_grid, url_field

DIRECTION_LABELS = {"forward": "Forward KL(P‖Q) — mass-covering", "reverse": "Reverse KL(Q‖P) — mode-seeking",
                    "js": "Jensen–Shannon JS(P, Q)"}
# Each slider's range and step: a URL value off them is refused (a slider snaps it and sends it back).
SEPARATION_RANGE, SEPARATION_STEP = (0.0, 8.0), 0.5
LEFT_RANGE, LEFT_STEP = (0.1, 0.9), 0.05
WIDTH_RANGE, WIDTH_STEP = (0.3, 2.0), 0.1
MU_RANGE = (-6.0, 6.0)  # the start's mean, and the landscape's μ axis
SIGMA_RANGE = (0.3, 4.0)  # the start's standard deviation
MU_STEP, SIGMA_STEP = 0.25, 0.1  # the start sliders' steps
# A click on the landscape picks from every other slider step: each pickable point is an SVG marker the browser
# redraws on every slider move.
PICK_EVERY = 2
LANDSCAPE_SIGMAS = (0.2, 6.0)  # the landscape's σ axis: wider, so moment matching of any target is on it


@dataclass(frozen=True)
class KLLossState:
    direction: str = url_field("dir", Choice(FIT_DIRECTIONS), "forward", label="divergence")
    separation: float = url_field("sep", Stepped(*SEPARATION_RANGE, SEPARATION_STEP), 6.0, label="mode separation")
    left: float = url_field("left", Stepped(*LEFT_RANGE, LEFT_STEP), 0.5, label="left mode's weight")
    width: float = url_field("width", Stepped(*WIDTH_RANGE, WIDTH_STEP), 0.7, label="mode width")
    mu0: float = url_field("mu0", Stepped(*MU_RANGE, MU_STEP), 1.0, label="start mean")
    sigma0: float = url_field("sigma0", Stepped(*SIGMA_RANGE, SIGMA_STEP), 1.0, label="start standard deviation")

    def target(self) -> GaussianMixture:
        """P: two Gaussian modes of equal width, `separation` apart, centred on 0."""
        half = self.separation / 2
        return GaussianMixture((self.left, 1 - self.left), (-half, half), (self.width, self.width))

    @property
    def start(self) -> tuple[float, float]:
        return self.mu0, self.sigma0

    def with_start(self, mu: float, sigma: float) -> "KLLossState":
        """Start from the slider position nearest (μ, σ): a click may land on any marker of the landscape,
        some of which (P's moment match, Q now) lie off the sliders' grid or range, and a dropped start comes
        from the browser, which a message could fake."""
        return replace(self, mu0=nearest_on_grid(mu, *MU_RANGE, MU_STEP),
                       sigma0=nearest_on_grid(sigma, *SIGMA_RANGE, SIGMA_STEP))


def start_grid() -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The starts a click can pick, all of them positions of the sliders: (μ₀ values, σ₀ values)."""
    def steps(lo: float, hi: float, step: float) -> tuple[float, ...]:
        return tuple(round(lo + i * step, 6) for i in range(0, int(round((hi - lo) / step)) + 1, PICK_EVERY))

    return steps(*MU_RANGE, MU_STEP), steps(*SIGMA_RANGE, SIGMA_STEP)
