"""The "Sparsity and the L1 norm" page's state: a vector to measure and shrink, a 2-D least-squares problem
with a radius, and the L1 penalty λ. It round-trips through the URL like every page's state; a tampered field
is reported and takes its default, the rest still apply.

Every number sits on its slider's step grid: a slider handed a value between its steps snaps it and sends the
snapped value back, which would rewrite a shared link on arrival. So an off-grid value is refused, like an
out-of-range one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from app_core.state.codec import Choice, Stepped, format_number, nearest_on_grid, on_grid, parse_number, url_field

N_ENTRIES = 6
ENTRY_RANGE, ENTRY_STEP = (-3.0, 3.0), 0.1
W_STAR_RANGE, W_STAR_STEP = (-2.5, 2.5), 0.1
ANGLE_RANGE, ANGLE_STEP = (0.0, 175.0), 5.0
ELONGATION_RANGE, ELONGATION_STEP = (1.0, 5.0), 0.25
RADIUS_RANGE, RADIUS_STEP = (0.2, 2.5), 0.05
LAMBDA_RANGE, LAMBDA_STEP = (0.0, 3.0), 0.05
SHRINK_KINDS = ("soft", "relu")


@dataclass(frozen=True)
class VectorField:
    """N_ENTRIES comma-separated numbers, each in ENTRY_RANGE on the ENTRY_STEP grid (e.g. 2,-1.5,0.3,0,-0.2,1)."""

    def parse(self, text: str, what: str) -> tuple[float, ...]:
        parts = text.split(",")
        if len(parts) != N_ENTRIES:
            raise ValueError(f"{what} needs {N_ENTRIES} comma-separated numbers")
        return tuple(on_grid(parse_number(p, f"an entry of {what}"), *ENTRY_RANGE, ENTRY_STEP, f"each entry of {what}")
                     for p in parts)

    def format(self, value: tuple[float, ...]) -> str:
        return ",".join(format_number(v) for v in value)


@dataclass(frozen=True)
class NormsState:
    entries: tuple[float, ...] = url_field("x", VectorField(), (2.0, -1.5, 0.3, 0.0, -0.2, 1.0), label="the vector")
    w1: float = url_field("w1", Stepped(*W_STAR_RANGE, W_STAR_STEP), 1.8, label="w*₁")
    w2: float = url_field("w2", Stepped(*W_STAR_RANGE, W_STAR_STEP), 1.0, label="w*₂")
    angle: float = url_field("angle", Stepped(*ANGLE_RANGE, ANGLE_STEP), 120.0, label="the contours' angle")
    elongation: float = url_field("elong", Stepped(*ELONGATION_RANGE, ELONGATION_STEP), 2.5,
                                  label="the contours' elongation")
    radius: float = url_field("t", Stepped(*RADIUS_RANGE, RADIUS_STEP), 1.0, label="the radius t")
    lam: float = url_field("lam", Stepped(*LAMBDA_RANGE, LAMBDA_STEP), 0.5, label="λ")
    shrink: str = url_field("shrink", Choice(SHRINK_KINDS), "soft", label="the shrinkage")


def with_entries(state: NormsState, values) -> NormsState:
    """The state with its vector set to `values` (N_ENTRIES numbers), each clamped into range and onto the grid,
    as a slider would send it."""
    if len(values) != N_ENTRIES:
        raise ValueError(f"the vector needs {N_ENTRIES} entries")
    return replace(state, entries=tuple(nearest_on_grid(v, *ENTRY_RANGE, ENTRY_STEP) for v in values))
