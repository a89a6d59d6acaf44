"""The vector editor's wire format: what the editor is given, and what the page accepts back from it."""

import math
from dataclasses import replace

import pytest

from app_core.wire.editor_wire import from_editor, sequence_number, to_editor
from app_core.state import norms as ns


def test_the_editor_gets_the_entries_their_range_and_grid_and_the_last_applied_number():
    state = replace(ns.NormsState(), entries=(0.5, 0.0, -3.0, 3.0, 0.1, -0.1))
    data = to_editor(state, ["a", "b", "c", "d", "e", "f"], applied_seq=7)
    assert data == {"entries": [0.5, 0.0, -3.0, 3.0, 0.1, -0.1], "lo": -3.0, "hi": 3.0, "step": 0.1,
                    "labels": ["a", "b", "c", "d", "e", "f"], "appliedSeq": 7}


def test_sent_entries_are_clamped_and_snapped_like_a_slider_and_nothing_else_changes():
    state = replace(ns.NormsState(), lam=1.25, shrink="relu")
    got = from_editor(state, {"entries": [3.7, -0.04, 0.26, 1, -2.95, 1e-12], "seq": 3})
    assert got.entries == (3.0, 0.0, 0.3, 1.0, -3.0, 0.0)
    assert all(not math.copysign(1.0, v) < 0 for v in got.entries if v == 0)  # no "-0" reaches a URL
    assert replace(got, entries=state.entries) == state


@pytest.mark.parametrize("value", [None, [], {"entries": [1, 2]}, {"entries": "1,2,3,4,5,6"},
                                   {"entries": [1, 2, 3, 4, 5, float("inf")]}, {"entries": [1, 2, 3, 4, 5, True]},
                                   {"entries": [1, 2, 3, 4, 5, "6"]}, {"seq": 1}])
def test_anything_but_six_finite_numbers_is_refused_with_a_message(value):
    with pytest.raises(ValueError, match="vector editor"):
        from_editor(ns.NormsState(), value)


def test_a_value_without_a_proper_number_counts_as_number_0():
    assert sequence_number({"entries": [], "seq": 4}) == 4
    assert sequence_number({"seq": "4"}) == sequence_number({"seq": True}) == sequence_number(None) == 0
