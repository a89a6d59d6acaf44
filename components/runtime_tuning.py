"""Process-wide tuning for a Streamlit server that holds torch, scipy and plotly in memory."""

from __future__ import annotations

import ctypes
import gc
import sys
import threading

_lock = threading.Lock()
_modules_when_frozen = [0]
_pending: list[threading.Timer] = []
FREEZE_DELAY_S = 0.5


def freeze_new_libraries() -> int:
    """Exclude the libraries' own objects from garbage collection; returns how many objects are frozen.

    Streamlit runs a full collection after every script run (`runner.postScriptGC`), and Python its own from time
    to time; with torch, scipy, plotly and Streamlit loaded, each scanned all their objects while holding the
    interpreter lock, and finished runs waited. Those objects live as long as the process, so they are frozen
    (`gc.freeze`) and a collection scans only what the app has made since; this beats turning the post-run
    collection off (BENCHMARKS.md, "Streamlit's internals"). It freezes what is alive if modules were imported since
    the last freeze (a page's first run brought in plotly, scipy or torch); otherwise it does nothing (one `len`).

    What other sessions hold at that moment is frozen too and will never be collected if it becomes cyclic
    garbage: a few such moments per server, when a library first arrives, so a bounded cost."""
    with _lock:
        if len(sys.modules) != _modules_when_frozen[0]:
            gc.collect()
            gc.freeze()
            _modules_when_frozen[0] = len(sys.modules)
        return gc.get_freeze_count()


def freeze_new_libraries_soon(delay_s: float = FREEZE_DELAY_S) -> None:
    """`freeze_new_libraries` on a timer thread, shortly after the run that calls this has ended.

    Streamlit draws a server's first page when its first run ends; a freeze inside that run (its collection
    scans every object alive) held the first paint back. One timer at a time; a run that imported nothing new
    starts none."""
    with _lock:
        if len(sys.modules) == _modules_when_frozen[0] or any(t.is_alive() for t in _pending):
            return
        timer = threading.Timer(delay_s, freeze_new_libraries)
        timer.daemon = True
        _pending[:] = [timer]
        timer.start()


def release_freed_memory() -> None:
    """Collect cyclic garbage, then give the C heap's free pages back to the system.

    glibc keeps freed memory in its heaps until `malloc_trim` gives it back. ctypes lets go of the interpreter lock
    during the call. Elsewhere than glibc, only the collection."""
    gc.collect()
    malloc_trim = _glibc_function("malloc_trim")
    if malloc_trim is not None:
        malloc_trim(0)


def _glibc_function(name: str):
    """One of glibc's allocator functions; None where the C library is another (musl, macOS)."""
    try:
        return getattr(ctypes.CDLL("libc.so.6"), name, None)
    except OSError:
        return None
