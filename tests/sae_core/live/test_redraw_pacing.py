"""Live pages redraw as asked while the server has time, and less often, all alike, when it is busy."""

import pytest

from sae_core.live.redraw_pacing import RedrawPacer


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_an_idle_or_lightly_used_server_redraws_as_asked():
    pacer = RedrawPacer(share=0.4, clock=Clock())
    assert pacer.period(1.0) == 1.0
    for page in range(3):
        pacer.record(f"p{page}", 0.05, asks=1.0)  # 15% of the interpreter
    assert pacer.period(1.0) == 1.0 and pacer.period(0.25) == 0.25


def test_a_busy_server_stretches_every_period_so_the_redraws_fit_their_share():
    pacer = RedrawPacer(share=0.4, clock=Clock())
    for page in range(30):  # thirty pages, 80 ms a redraw, asking for one a second: 2.4 s of work a second
        pacer.record(f"p{page}", 0.08, asks=1.0)
    assert pacer.demand() == pytest.approx(2.4)
    assert pacer.period(1.0) == 6.0  # 2.4 / 0.4
    assert pacer.period(0.25) == 1.5  # an animation keeps its relative speed
    # at the stretched periods the redraws take 30 × 0.08 / 6 = 0.4 of the interpreter: the share


def test_costs_are_smoothed_and_the_stretch_is_capped():
    pacer = RedrawPacer(share=0.4, max_stretch=8.0, clock=Clock())
    pacer.record("a", 0.1, asks=1.0)
    pacer.record("a", 0.2, asks=1.0)
    assert abs(pacer.demand() - 0.13) < 1e-9  # 0.7 × 0.1 + 0.3 × 0.2: one slow redraw moves it part way
    for page in range(200):
        pacer.record(f"p{page}", 0.1, asks=1.0)
    assert pacer.period(1.0) == 8.0


def test_pages_that_stop_redrawing_stop_counting():
    clock = Clock()
    pacer = RedrawPacer(share=0.4, forget_s=20.0, clock=clock)
    for page in range(30):
        pacer.record(f"p{page}", 0.08, asks=1.0)
    pacer.forget("p0")
    assert pacer.live_pages() == 29
    clock.now = 15.0
    pacer.record("late", 0.08, asks=1.0)
    clock.now = 21.0  # the thirty went quiet 21 s ago (paused or closed); "late" redrew 6 s ago
    assert pacer.live_pages() == 1 and pacer.period(1.0) == 1.0



def test_saturated_once_even_the_longest_stretch_leaves_too_much():
    pacer = RedrawPacer(share=0.4, max_stretch=8.0, clock=Clock())
    for page in range(30):
        pacer.record(f"p{page}", 0.1, asks=1.0)  # 3 / 0.4 = 7.5: stretched, not saturated
    assert not pacer.saturated()
    for page in range(30, 40):
        pacer.record(f"p{page}", 0.1, asks=1.0)  # 4 / 0.4 = 10
    assert pacer.saturated() and pacer.period(1.0) == 8.0
