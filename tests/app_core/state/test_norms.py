"""The norms page's state: strict parsing (range and slider grid), and setting one entry of the vector."""

import pytest

from app_core.state import codec
from app_core.state import norms as ns


def test_off_grid_and_out_of_range_values_are_refused_field_by_field():
    state, problems = codec.from_query(ns.NormsState, {"t": "0.33", "lam": "9", "x": "1,2,3", "w1": "-1.3",
                                                       "angle": "-5", "elong": "1.5", "shrink": "hard"})
    assert state.w1 == -1.3 and state.elongation == 1.5  # the good ones still apply
    assert (state.radius, state.lam, state.entries, state.angle, state.shrink) == (
        ns.NormsState().radius, ns.NormsState().lam, ns.NormsState().entries, ns.NormsState().angle, "soft")
    text = " ".join(problems)
    for param, why in (("t", "multiple of 0.05"), ("lam", "[0, 3]"), ("x", "6 comma-separated"), ("angle", "[0, 175]"),
                       ("shrink", "soft, relu")):
        assert f"'{param}'" in text and why in text, (param, problems)


def test_vector_entries_are_checked_one_by_one():
    _, problems = codec.from_query(ns.NormsState, {"x": "1,2,3,4,5,6"})
    assert problems and "[-3, 3]" in problems[0]
    _, problems = codec.from_query(ns.NormsState, {"x": "1,2,0.25,0,0,0"})
    assert problems and "multiple of 0.1" in problems[0]
    state, problems = codec.from_query(ns.NormsState, {"x": "-0,0.3,-3,3,0.1,-2.9"})
    assert not problems and state.entries == (0.0, 0.3, -3.0, 3.0, 0.1, -2.9)
    assert codec.to_query(state)["x"] == "0,0.3,-3,3,0.1,-2.9"  # no "-0"


def test_float_noise_from_a_slider_lands_on_the_grid():
    state = ns.with_entries(ns.NormsState(), (2.0, -1.5, 0.30000000000000004, -0.0, -0.2, 1.0))
    assert state.entries[2] == 0.3 and codec.to_query(state)["x"] == "2,-1.5,0.3,0,-0.2,1"
    assert ns.with_entries(state, (7.0, *state.entries[1:])).entries[0] == 3.0
    with pytest.raises(ValueError, match="6 entries"):
        ns.with_entries(state, (1.0,) * 7)
    parsed, problems = codec.from_query(ns.NormsState, {"lam": "0.15000000000000002", "t": "1.05"})
    assert not problems and (parsed.lam, parsed.radius) == (0.15, 1.05)
