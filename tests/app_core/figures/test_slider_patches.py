"""Slider patches: patches to figure JSON that turn the chart on screen into the chart at another position."""

import json

import numpy as np
import pytest

from app_core.figures.slider_patches import (KEPT_LAYOUT, MAX_PATCH_BYTES, NEAR, apply_patch, figure_patch, plain,
                                     patch_positions, patches_along)
from app_core.state.codec import grid
from app_core.figures.norm_figures import shrinkage_curve_figure, shrunk_vector_figure
from app_core.figures.superposition_figures import feature_arrows
from app_core.state import codec
from app_core.state import norms as ns

ENTRIES = (2.0, -1.5, 0.3, 0.0, -0.2, 1.0)


def test_grid_is_the_sliders_positions_as_the_state_snaps_them():
    positions = grid(*ns.LAMBDA_RANGE, ns.LAMBDA_STEP)
    assert len(positions) == 61 and positions[0] == 0.0 and positions[-1] == 3.0
    assert all(codec.nearest_on_grid(v, *ns.LAMBDA_RANGE, ns.LAMBDA_STEP) == v for v in positions)


def test_patch_positions_are_the_neighbours_first_then_the_range_ends_included():
    positions = grid(0.0, 3.0, 0.05)
    values = patch_positions(positions, 0.5)
    assert values[:2 * NEAR] == [0.45, 0.55, 0.4, 0.6, 0.35, 0.65, 0.3, 0.7]
    assert {0.0, 3.0} <= set(values) and 0.5 not in values
    assert len(values) == len(set(values)) and set(values) <= set(positions)


def test_patch_positions_then_take_a_page_step_either_side_and_both_ends():
    values = patch_positions(grid(0.0, 3.0, 0.05), 0.5)
    assert values[2 * NEAR:2 * NEAR + 4] == [0.2, 0.8, 0.0, 3.0]  # PageUp/PageDown: a tenth of the range, snapped


def test_patch_positions_at_the_end_of_a_short_range():
    assert sorted(patch_positions(grid(3, 8, 1), 8)) == [3.0, 4.0, 5.0, 6.0, 7.0]


def _without_template(fig: dict) -> dict:
    return {**fig, "layout": {k: v for k, v in fig["layout"].items() if k not in KEPT_LAYOUT}}


@pytest.mark.parametrize("lam", [0.0, 0.55, 3.0])
def test_a_patch_turns_one_figure_into_the_other(lam):
    base, other = plain(shrunk_vector_figure(ENTRIES, 0.5, "soft")), plain(shrunk_vector_figure(ENTRIES, lam, "soft"))
    patch = figure_patch(base, other)
    assert "traces" not in patch  # same traces: only what changed travels
    assert apply_patch(base, patch) == other
    assert len(json.dumps(patch)) < len(json.dumps(other))


def test_a_layout_key_that_goes_is_removed_and_the_template_is_never_sent():
    base = plain(shrinkage_curve_figure(0.5, "soft"))
    other = json.loads(json.dumps(base))
    del other["layout"]["title"]
    base["layout"]["template"] = {"layout": {"font": {"size": 99}}}
    patch = figure_patch(base, other)
    assert patch["layout"] == {"title": None}
    assert "title" not in apply_patch(base, patch)["layout"]
    assert "template" not in plain(shrinkage_curve_figure(0.5, "soft"))["layout"]


def test_another_number_of_traces_or_no_base_replaces_every_trace():
    five, six = plain(feature_arrows(np.ones((2, 5)))), plain(feature_arrows(np.ones((2, 6))))
    assert figure_patch(five, six)["traces"] == six["data"]
    assert apply_patch(five, figure_patch(five, six)) == six
    whole = figure_patch(None, six)
    assert whole["traces"] == six["data"] and whole["layout"] == six["layout"]


def test_frames_are_exact_nearest_first_and_within_their_byte_cap():
    positions = grid(*ns.LAMBDA_RANGE, ns.LAMBDA_STEP)

    def at(v):
        return {"curve": plain(shrinkage_curve_figure(v, "soft")), "shrunk": plain(shrunk_vector_figure(ENTRIES, v, "soft"))}

    on_screen = at(0.5)
    frames = patches_along(positions, 0.5, at, on_screen)
    assert [f["value"] for f in frames] == patch_positions(positions, 0.5)  # all fit under the cap
    for frame in frames:
        for key, patch in frame["charts"].items():
            assert apply_patch(on_screen[key], patch) == at(frame["value"])[key]
    assert len(json.dumps(frames)) <= MAX_PATCH_BYTES
    made = []
    cap = len(json.dumps(frames[:3])) + 10

    def counted(v):
        made.append(v)
        return at(v)

    capped = patches_along(positions, 0.5, counted, on_screen, max_bytes=cap)
    assert [f["value"] for f in capped] == [0.45, 0.55, 0.4][:len(capped)] and len(capped) >= 2
    assert len(json.dumps(capped)) <= cap
    # Past the cap, figures are made for at most one frame that is then left out
    assert len(made) <= len(capped) + 1


def test_live_frames_carry_whole_figures():
    positions = grid(0.0, 3.0, 0.05)
    frames = patches_along(positions, 0.5, lambda v: {"curve": plain(shrinkage_curve_figure(v, "soft"))}, {})
    assert all(f["charts"]["curve"]["traces"] and "title" in f["charts"]["curve"]["layout"] for f in frames)


def test_no_figures_are_made_for_a_frame_that_cannot_fit():
    made = []

    def same_size(v):  # whole figures of one size at every position
        made.append(v)
        return {"chart": {"data": [{"y": [0.0] * 100}], "layout": {}}}

    one = len(json.dumps(patches_along([0.0, 1.0], 0.0, same_size, {})[0]))
    made.clear()
    frames = patches_along([float(v) for v in range(20)], 10.0, same_size, {}, max_bytes=3 * one + 1)
    assert len(frames) == 3 and len(made) == 3  # the fourth would not fit: not made at all


def test_at_most_max_patches_the_nearest_made_and_no_more():
    made = []

    def figure_at(v):
        made.append(v)
        return {"chart": plain(shrinkage_curve_figure(v, "soft"))}

    frames = patches_along(grid(0.0, 3.0, 0.05), 0.5, figure_at, {}, max_patches=2)
    assert [f["value"] for f in frames] == [0.45, 0.55] and made == [0.45, 0.55]
