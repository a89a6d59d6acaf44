"""Live pages redraw as asked while the server has time, and less often, all alike, when it is busy."""

import pytest

from app_core.live.redraw_pacing import RedrawPacer


def redrawn(pacer, page, seconds, asks, times=2):
    """A page's first redraw is seen but not counted (it pays one-time costs): record it `times` times."""
    for _ in range(times):
        pacer.record(page, seconds, asks=asks)


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_an_idle_or_lightly_used_server_redraws_as_asked():
    pacer = RedrawPacer(share=0.4, clock=Clock())
    assert pacer.period(1.0) == 1.0
    for page in range(3):
        redrawn(pacer, f"p{page}", 0.05, asks=1.0)  # 15% of the interpreter
    assert pacer.period(1.0) == 1.0 and pacer.period(0.25) == 0.25


def test_a_busy_server_stretches_every_period_so_the_redraws_fit_their_share():
    pacer = RedrawPacer(share=0.4, clock=Clock())
    for page in range(30):  # thirty pages, 80 ms a redraw, asking for one a second: 2.4 s of work a second
        redrawn(pacer, f"p{page}", 0.08, asks=1.0)
    assert pacer.demand() == pytest.approx(2.4)
    assert pacer.period(1.0) == 6.0  # 2.4 / 0.4
    assert pacer.period(0.25) == 1.5  # an animation keeps its relative speed
    # at the stretched periods the redraws take 30 × 0.08 / 6 = 0.4 of the interpreter: the share


def test_costs_are_smoothed_and_the_stretch_is_capped():
    pacer = RedrawPacer(share=0.4, max_stretch=8.0, clock=Clock())
    redrawn(pacer, "a", 0.1, asks=1.0)
    pacer.record("a", 0.2, asks=1.0)
    assert abs(pacer.demand() - 0.13) < 1e-9  # 0.7 × 0.1 + 0.3 × 0.2: one slow redraw moves it part way
    for page in range(200):
        redrawn(pacer, f"p{page}", 0.1, asks=1.0)
    assert pacer.period(1.0) == 8.0


def test_pages_that_stop_redrawing_stop_counting():
    clock = Clock()
    pacer = RedrawPacer(share=0.4, forget_s=20.0, clock=clock)
    for page in range(30):
        redrawn(pacer, f"p{page}", 0.08, asks=1.0)
    pacer.forget("p0")
    assert pacer.live_pages() == 29
    clock.now = 15.0
    redrawn(pacer, "late", 0.08, asks=1.0)
    clock.now = 21.0  # the thirty went quiet 21 s ago (paused or closed); "late" redrew 6 s ago
    assert pacer.live_pages() == 1 and pacer.period(1.0) == 1.0


def test_saturated_once_even_the_longest_stretch_leaves_too_much():
    pacer = RedrawPacer(share=0.4, max_stretch=8.0, clock=Clock())
    for page in range(30):
        redrawn(pacer, f"p{page}", 0.1, asks=1.0)  # 3 / 0.4 = 7.5: stretched, not saturated
    assert not pacer.saturated()
    for page in range(30, 40):
        redrawn(pacer, f"p{page}", 0.1, asks=1.0)  # 4 / 0.4 = 10
    assert pacer.saturated() and pacer.period(1.0) == 8.0


def test_a_pages_first_redraw_is_seen_but_not_counted():
    pacer = RedrawPacer(share=0.4, clock=Clock())
    pacer.record("fresh", 0.65, asks=1.0)  # the first Autoencoders redraw on a fresh server (1.6 × the share)
    assert pacer.live_pages() == 1 and pacer.demand() == 0.0 and pacer.period(1.0) == 1.0
    pacer.record("fresh", 0.12, asks=1.0)  # counted from here, not smoothed with the first
    assert pacer.demand() == pytest.approx(0.12)
