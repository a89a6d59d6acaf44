"""Widgets that mirror a state owned elsewhere (the drag canvas), and telling a person's move from an echo.

A page writes its canonical values into fallback widgets on every run. The browser sends every widget's
value with each rerun request, and while requests overlap (the canvas sends ten a second) it can report a
value the page wrote one or two runs earlier, before the newer one reached it. Streamlit sees a change and
calls the widget's `on_change`; taken as a move, that stale value would drag the curve back to where it
was a moment ago.

So, per widget, the page keeps the values it wrote that the browser may not have caught up with yet. A
reported value among them is an echo. The list shrinks back to one entry as soon as the browser reports
the newest value, or reports a value of its own (a real move), so a keyboard user stepping back to an
earlier position is never mistaken for an echo.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

HISTORY = "_mirrored_widget_history"
MAX_PENDING = 32


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        try:
            return abs(float(a) - float(b)) < 1e-6
        except (TypeError, ValueError):
            return False
    return a == b


class MirroredWidgets:
    """The echo bookkeeping for a set of widget keys kept in `session_state`."""

    def __init__(self, session_state: MutableMapping):
        self.ss = session_state
        if HISTORY not in self.ss:
            self.ss[HISTORY] = {}
        self.pending: dict[str, list] = self.ss[HISTORY]

    def write(self, key: str, value: Any) -> None:
        """Show `value` in the widget `key`; call before the widget is drawn."""
        pending = self.pending.setdefault(key, [])
        reported = self.ss.get(key)
        if pending and _same(reported, pending[-1]):
            del pending[:-1]  # the browser has the newest value: nothing older can come back
        self.ss[key] = value
        if not pending or not _same(pending[-1], value):
            pending.append(value)
            del pending[:-MAX_PENDING]

    def moved(self, key: str, current: Any = None, tolerance: float = 0.0) -> bool:
        """Whether the widget's reported value is a person's move rather than an echo.

        `current` is the canonical value the widget shows; a report within `tolerance` of it (the
        widget's rounding to its step grid) is not a move either.
        """
        reported = self.ss.get(key)
        if current is not None:
            if isinstance(current, (int, float)) and not isinstance(current, bool):
                if abs(float(reported) - float(current)) <= tolerance + 1e-9:
                    return False
            elif reported == current:
                return False
        pending = self.pending.get(key, [])
        if any(_same(reported, value) for value in pending):
            return False
        # A move of the person's own: the browser holds this value now, so earlier writes are settled.
        self.pending[key] = []
        return True
