"""How often live pages redraw: as often as they ask while the server has time, less often when it is busy.

Every visitor's live page redraws on a timer, and a redraw is Python (building figures, encoding pictures) that
shares one interpreter lock with every other visitor's page and training. Thirty pages redrawing once a second
at ~60–100 ms each asked for more than the whole lock (measured: redraws queued 37 s deep, BENCHMARKS.md "load").

The pacer keeps, for each live page, what its redraw costs and how often it asks to redraw; their sum is the
demand on the interpreter. When it passes `share`, every page's period is stretched by the same factor (up to
`max_stretch`), so the redraws fit. A page that has not redrawn for `forget_s` (paused, closed) no longer counts.
Measured directly rather than by feedback: a feedback loop on the busy time oscillated, because a page only
takes a new period at its next full rerun.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

SHARE = 0.4  # of one interpreter: the rest is for training's Python, other pages' reruns and the server itself
MAX_STRETCH = 8.0
FORGET_S = 20.0  # longer than any stretched period (8 × 1 s), so a slow page is not forgotten between redraws


@dataclass
class _Page:
    seen: float
    cost: float | None  # seconds per redraw, smoothed; None until its second redraw
    asks: float  # the period it asks for, seconds


class RedrawPacer:
    def __init__(self, share: float = SHARE, max_stretch: float = MAX_STRETCH, forget_s: float = FORGET_S,
                 clock=time.monotonic):
        self.share, self.max_stretch, self.forget_s, self._clock = share, max_stretch, forget_s, clock
        self._pages: dict[str, _Page] = {}
        self._lock = threading.Lock()

    def record(self, page: str, seconds: float, asks: float) -> None:
        """`page` (one visitor's live panel) has redrawn in `seconds`; it asks to redraw every `asks` seconds."""
        with self._lock:
            now, seconds = self._clock(), max(0.0, seconds)
            known = self._pages.get(page)
            if known is None:
                # A visitor's first redraw pays one-time costs that would stretch everyone's period just as training
                # begins: it is seen, not counted.
                cost = None
            elif known.cost is None:
                cost = seconds
            else:
                cost = 0.7 * known.cost + 0.3 * seconds
            self._pages[page] = _Page(now, cost, max(asks, 1e-3))

    def forget(self, page: str) -> None:
        with self._lock:
            self._pages.pop(page, None)

    def demand(self) -> float:
        """The fraction of one interpreter the live pages would take at the periods they ask for."""
        with self._lock:
            self._drop_quiet()
            return sum(p.cost / p.asks for p in self._pages.values() if p.cost is not None)

    def live_pages(self) -> int:
        with self._lock:
            self._drop_quiet()
            return len(self._pages)

    def stretch(self) -> float:
        """The factor every page's period is multiplied by now (1 when the server has time)."""
        return min(self.max_stretch, max(1.0, self.demand() / self.share))

    def saturated(self) -> bool:
        """Whether even the longest stretch leaves the pages asking for more than their share: then what can
        be dropped (a drag's positions before its release) should be."""
        return self.demand() / self.share > self.max_stretch

    def period(self, seconds: float) -> float:
        """A page that asks to redraw every `seconds`: how often it should, to a quarter of a second."""
        return max(seconds, round(seconds * self.stretch() * 4) / 4)

    def _drop_quiet(self) -> None:
        cutoff = self._clock() - self.forget_s
        for key in [k for k, p in self._pages.items() if p.seen < cutoff]:
            del self._pages[key]


_pacer = RedrawPacer()


def shared_pacer() -> RedrawPacer:
    """The process's pacer: every live page of every visitor records into it and reads its period from it."""
    return _pacer
