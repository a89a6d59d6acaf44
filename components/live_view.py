"""What every live-training page draws the same way: its buttons, its status line, its redraw timer."""

from __future__ import annotations

import functools
import time
import uuid
from typing import Callable

import streamlit as st

from components.live_session import share_message
from components.presenter import command_waiting, start_scene, take_command, take_scene_start
from app_core.live import JobController, LiveStatus
from app_core.live.redraw_pacing import shared_pacer

# How often a page redraws while training runs on its background thread. At 0.5 s a redraw plus the
# browser's work overran the period on 2 cores and reruns piled up, halving training (BENCHMARKS.md).
REFRESH_SECONDS = 1.0


# A paced numpy job (a 1-D fit, the toy model) is an animation: its picture is a few small arrays and
# costs the server a few milliseconds, so it can redraw four times as often.
ANIMATION_SECONDS = 0.25


_PAGE_ID = "_live_page_id"
_PERIOD = "_live_period"  # (what the page asks for, what its timer was set to), both seconds
# A timer is set when the whole page runs; a redraw that finds the pacer's period this far from its own asks for
# a whole run to reset it (rarely: the period moves with the number of live pages, not with every redraw).
RETIME_RATIO = 1.5


def refresh_every(controller: JobController, seconds: float = REFRESH_SECONDS) -> float | None:
    """The fragment timer: on while the job plays, off otherwise (a paused page costs the server nothing).
    `seconds` is what the page asks for; a busy server stretches it (app_core/live/redraw_pacing.py)."""
    return shared_pacer().period(seconds) if controller.playing else None


def pacer_key() -> str:
    """This session's key in the redraw pacer: one per visitor, so a visitor who moves to another page replaces
    what the last one cost rather than counting twice."""
    return st.session_state.setdefault(_PAGE_ID, uuid.uuid4().hex)


def live_fragment(controller: JobController, seconds: float = REFRESH_SECONDS):
    """`st.fragment` on the live timer (`refresh_every`), timing each redraw for the pacer."""
    period = refresh_every(controller, seconds)
    st.session_state[_PERIOD] = (seconds, period)
    page = pacer_key()

    def decorate(draw: Callable) -> Callable:
        @functools.wraps(draw)
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return draw(*args, **kwargs)
            finally:
                if controller.playing:  # what the redraw cost the server: not a wait for Play's first picture
                    drawn = time.perf_counter() - started - controller.picture_wait_s
                    shared_pacer().record(page, drawn, seconds)

        return st.fragment(run_every=period)(timed)

    return decorate


def redraw_period() -> float | None:
    """The live timer's period now, in seconds (None when it is off)."""
    return st.session_state.get(_PERIOD, (None, None))[1]


def _retime_wanted() -> bool:
    asks, period = st.session_state.get(_PERIOD, (None, None))
    if not asks or not period:
        return False
    wanted = shared_pacer().period(asks)
    return wanted >= period * RETIME_RATIO or wanted * RETIME_RATIO <= period


def live_buttons(controller: JobController, prefix: str, step_steps: int, on_reset: Callable[[], None],
                 extra: list[dict] = (), prepare: Callable[[], None] | None = None) -> None:
    """Play/Pause, Step, Reset, then the page's own buttons (keyword dicts for `st.button`). `prepare`, if
    given, runs before Play and Step (a page that makes its job only once someone trains); when it returns
    False the press is the page's to carry out (it has no job yet, and makes it where it can show progress)."""
    def press(action: Callable, *args) -> bool:
        if prepare is not None and prepare(action, *args) is False:
            return False
        action(*args)
        return True

    scene = take_scene_start()
    if scene is not None:
        start_scene(controller, on_reset, scene)
    command = take_command("toggle", "reset")  # presenter mode's Space and R
    if command == "reset":
        on_reset()
    elif command == "toggle":
        press(controller.toggle)
    if command is not None:
        # Pages define their redraw timer before these buttons (as a button's callback runs before the script,
        # the timer sees the new state); a key is carried out here, mid-script, so run the page again for it.
        # A press a page defers (it builds its job at the top of its script) is carried out there.
        st.rerun()
    playing = controller.playing

    cols = st.columns([1, 1, 1] + [1.2] * len(extra))
    cols[0].button("Pause" if playing else "Play", key=f"{prefix}_play", on_click=press, args=(controller.toggle,),
                   type="primary", width="stretch", icon=":material/pause:" if playing else ":material/play_arrow:")
    cols[1].button(f"Step ×{step_steps}", key=f"{prefix}_step", on_click=press, args=(controller.step, step_steps),
                   width="stretch", icon=":material/skip_next:")
    cols[2].button("Reset", key=f"{prefix}_reset", on_click=on_reset, width="stretch", icon=":material/restart_alt:")
    for col, options in zip(cols[3:], extra):
        col.button(width="stretch", **options)


def live_status(controller: JobController, snap: LiveStatus, ticking: bool, advice: str) -> None:
    """Say why training is not advancing, when it is not. `ticking`: whether this redraw came from the
    timer; once the run has ended (finished or failed) the whole page reruns so the timer and buttons stop."""
    if (ticking and not controller.playing) or command_waiting() or (ticking and _retime_wanted()):
        st.rerun()
    shared = share_message(snap.measured_rate, snap.training_now, redraw_period(),
                           st.session_state.get(_PERIOD, (None,))[0]) if snap.status == "training" else None
    if shared:
        st.caption(shared)
    if snap.status == "failed":
        st.error(f"Training diverged: {snap.error}. {advice}", icon=":material/error:")
