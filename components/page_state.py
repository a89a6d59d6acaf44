"""A page's state object in Streamlit: read from the URL, bound to widgets, written back to the URL.

The state itself (a frozen dataclass with `url_field`s, in `sae_core/state/`) knows nothing of
Streamlit. Here it lives in session state under the page's key; each widget bound to a field has the
key `<prefix>_<field>`, shows the state's value, and a move replaces that field (then the state's own
cross-field rules run). A URL other than the one the page last wrote comes from outside — a pasted
link, or Back/Forward through the history the page built — and becomes the state; a bare URL (arriving
from another page) keeps the state this session already had.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Generic, TypeVar

import streamlit as st

from sae_core.state import codec

S = TypeVar("S")


class PageState(Generic[S]):
    def __init__(self, prefix: str, cls: type[S]):
        self.prefix = prefix
        self.cls = cls
        self._key = f"{prefix}_state"
        self._written = f"{prefix}_url_written"
        self._problems = f"{prefix}_url_problems"

    # --- the state --------------------------------------------------------------------------------
    def load(self) -> S:
        """The page's state, taken from the URL on a first visit or when the URL came from outside."""
        ss = st.session_state
        url = st.query_params.to_dict()
        written = ss.get(self._written)
        if self._key not in ss or (url and written is not None and url != written):
            state, problems = codec.from_query(self.cls, url)
            ss[self._key] = state
            ss[self._problems] = problems
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
        self.set(replace(self.value, **{name: st.session_state[self.key(name)]}))

    def widget(self, name: str) -> dict[str, Any]:
        """Keyword arguments binding a widget to field `name`: `st.slider("λ", ..., **page.widget("l1"))`."""
        self.bind(name)
        return {"key": self.key(name), "on_change": self.on_change, "args": (name,)}

    # --- the URL ----------------------------------------------------------------------------------
    def publish(self, hold: bool = False) -> None:
        """Write the state into the URL, unless `hold` (mid-drag: each write is a browser-history entry)."""
        if hold:
            return
        wanted = codec.to_query(self.value)
        if st.query_params.to_dict() != wanted:
            st.query_params.from_dict(wanted)
        st.session_state[self._written] = wanted


_MISSING = object()
