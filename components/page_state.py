"""A page's state object in Streamlit: read from the URL, bound to widgets, written back to the URL.

The state itself (a frozen dataclass with `url_field`s, in `app_core/state/`) knows nothing of
Streamlit. Here it lives in session state under the page's key; each widget bound to a field has the
key `<prefix>_<field>`, shows the state's value, and a move replaces that field (then the state's own
cross-field rules run).

A URL the page did not write comes from outside — a pasted link, or Back/Forward through the history the
page built — and becomes the state; a bare URL (arriving from another page) keeps the state this session
already had. Every rerun request carries the browser's URL, and while requests overlap (a live page ticks
once a second) one can carry a URL the page wrote a moment ago, before the newest reached the browser:
taken as a Back, it would undo the move just made. So, as `mirrored_widgets.py` does for sliders, the page
keeps the URLs it wrote that the browser has not confirmed yet; on a page whose requests overlap (it says so
with `echo_window`), one of those coming back within that many seconds of the last write is an echo. Later,
or once the browser has confirmed the newest URL, or on a page without overlapping requests, an older URL
is a Back (which a person may well press within a second of a drag).

A request that carries a person's move (a widget callback ran: `on_change`, or a page's own callback that
calls `mark_move`) is never a Back, whatever URL it carries: quick moves overlap (arrow keys held on a
slider), so such a request can carry a URL from before the page's last write, and reading it as Back undid
every other step (six presses moved a slider three steps).
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any, Generic, TypeVar

import streamlit as st

from app_core.registry import page_of_file
from app_core.state import codec
from app_core.talk import FRAME_PARAMS

S = TypeVar("S")


class PageState(Generic[S]):
    @classmethod
    def of(cls, page_file: str) -> "PageState":
        """The URL-bound state the registry declares for the page whose file is `page_file` (a page passes its
        own `__file__`): its state class and key prefix are written once, in app_core/registry.py."""
        page = page_of_file(page_file)
        return cls(page.prefix, page.state_class())

    def __init__(self, prefix: str, cls: type[S]):
        self.prefix = prefix
        self.cls = cls
        self._key = f"{prefix}_state"
        self._pending = f"{prefix}_url_pending"  # URLs written, newest last, not yet confirmed by the browser
        self._written_at = f"{prefix}_url_written_at"
        self._problems = f"{prefix}_url_problems"
        self._moved = f"{prefix}_moved"  # set by a callback of this run: the request carries a move
        self._moves = f"{prefix}_moves"  # {field: the number of its widget's last move}: which moved last

    # --- the state --------------------------------------------------------------------------------
    def load(self, echo_window: float = 0.0) -> S:
        """The page's state, taken from the URL on a first visit or when the URL came from outside.
        `echo_window`: seconds after a write during which an older URL of the page's own is an echo
        (pass ECHO_SECONDS while a timer reruns the page, 0 otherwise)."""
        ss = st.session_state
        url = _page_query()
        moved = ss.pop(self._moved, False)
        pending = ss.get(self._pending, [])
        if pending and url == pending[-1]:
            del pending[:-1]  # the browser has the newest URL: nothing older can come back as an echo
        recent = time.monotonic() - ss.get(self._written_at, 0.0) < echo_window
        echo = (url in pending[:-1] and recent) or moved
        if self._key not in ss or (url and pending and url != pending[-1] and not echo):
            state, problems = codec.from_query(self.cls, url)
            ss[self._key] = state
            ss[self._problems] = problems
            ss[self._pending] = [url] if url else []
        return ss[self._key]

    @property
    def value(self) -> S:
        return st.session_state[self._key]

    def set(self, state: S) -> S:
        """Replace the state, after its own cross-field rules; a repair made after a person's move is what
        they asked for (data switched, so a latent count that no longer exists changes), not news."""
        state, _ = codec.checked(state)
        st.session_state[self._key] = state
        return state

    def problems(self) -> list[str]:
        """Messages about rejected URL fields or repaired values, each shown once."""
        return st.session_state.pop(self._problems, [])

    def warn_problems(self) -> None:
        """Show `problems()` as warnings: what a link asked for that the page could not do, and what it did."""
        for message in self.problems():
            st.warning(message, icon=":material/link_off:")

    # --- widgets ----------------------------------------------------------------------------------
    def key(self, name: str) -> str:
        return f"{self.prefix}_{name}"

    def bind(self, *names: str) -> None:
        """Make the widgets of `names` show the state; call before they are drawn."""
        ss, state = st.session_state, self.value
        for name in names:
            value = getattr(state, name)
            if ss.get(self.key(name), _MISSING) != value:
                ss[self.key(name)] = value

    def on_change(self, name: str) -> None:
        """A widget callback: the widget of `name` moved, so the state's field follows it."""
        self.record_move(name)
        self.set(replace(self.value, **{name: st.session_state[self.key(name)]}))

    def record_move(self, name: str) -> None:
        """A person moved the control of field `name` (a widget, or a slider of a component): `moved_last`
        and `mark_move` follow."""
        self.mark_move()
        moves = st.session_state.setdefault(self._moves, {})
        moves[name] = max(moves.values(), default=0) + 1

    def moved_last(self, names, first: str) -> str:
        """Of the fields `names`, the one whose widget a person moved last in this session; `first` before any
        of them has moved. (A link, Back or a scene changes values, not this.)"""
        moves = st.session_state.get(self._moves, {})
        return max(names, key=lambda name: moves.get(name, -1)) if any(n in moves for n in names) else first

    def mark_move(self) -> None:
        """Call from a page's own callbacks (a canvas, a chart selection): this run's request carries a
        person's move, so its URL is not a Back."""
        st.session_state[self._moved] = True

    def widget(self, name: str) -> dict[str, Any]:
        """Keyword arguments binding a widget to field `name`: `st.slider("λ", ..., **page.widget("l1"))`."""
        self.bind(name)
        return {"key": self.key(name), "on_change": self.on_change, "args": (name,)}

    # --- the URL ----------------------------------------------------------------------------------
    def publish(self, hold: bool = False) -> None:
        """Write the state into the URL, unless `hold` (mid-drag: each write is a browser-history entry)."""
        # The end of a run, a fragment's included: a move marked during it has been read (or, in a fragment,
        # which reads no URL, had nothing to read) and must not make the next request look like a move.
        st.session_state.pop(self._moved, None)
        if hold:
            return
        wanted = codec.to_query(self.value)
        if _page_query() != wanted:
            frame = {name: value for name, value in st.query_params.to_dict().items() if name in FRAME_PARAMS}
            st.query_params.from_dict({**wanted, **frame})
        pending = st.session_state.setdefault(self._pending, [])
        if not pending or pending[-1] != wanted:
            pending.append(wanted)
            del pending[:-MAX_PENDING]
            st.session_state[self._written_at] = time.monotonic()


def _page_query() -> dict[str, str]:
    """The URL's parameters less the frame's (presenter mode, talk, scene), which belong to no page."""
    return {name: value for name, value in st.query_params.to_dict().items() if name not in FRAME_PARAMS}


_MISSING = object()
MAX_PENDING = 32
# Longer than a rerun's round trip on a busy 2-core server (a live page's full rerun takes up to ~1 s),
# shorter than a person takes to press Back after a move.
ECHO_SECONDS = 2.0
