"""Process-wide tuning for a Streamlit server that holds torch, scipy and plotly in memory."""

from __future__ import annotations

import ctypes
import gc
import os
import sys
import threading

_lock = threading.Lock()
_modules_when_frozen = [0]
_pending: list[threading.Timer] = []
FREEZE_DELAY_S = 0.5


def freeze_new_libraries() -> int:
    """Exclude the libraries' own objects from garbage collection; returns how many objects are frozen.

    Streamlit runs a full collection after every script run (`runner.postScriptGC`), which keeps memory in
    check. But with ~240,000 objects from torch, scipy, plotly and Streamlit to scan, each collection held the
    GIL for ~90 ms, and a finished run's elements waited that long before leaving for the browser. Those
    objects live as long as the process, so they are frozen (`gc.freeze`) and each collection scans only what
    the app has made since. This freezes what is alive if modules were imported since the last freeze (a
    page's first run brought in plotly, scipy or torch); otherwise it does nothing (one `len`).

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
    scans every object alive) held the first paint back by ~0.1–0.2 s. One timer at a time; a run that
    imported nothing new starts none."""
    with _lock:
        if len(sys.modules) == _modules_when_frozen[0] or any(t.is_alive() for t in _pending):
            return
        timer = threading.Timer(delay_s, freeze_new_libraries)
        timer.daemon = True
        _pending[:] = [timer]
        timer.start()


def skip_direct_execution_check() -> None:
    """Spare a server's first element Streamlit's check for an app started with `python app.py` by mistake.

    Streamlit 1.67 makes that check once per process, at the first element drawn, and asks whether it runs in
    a REPL through `inspect.stack()`, which reads the source of every frame on the stack and looks each one's
    module up among all those loaded: 0.14 s of a server's first paint here (cProfile of the first run).
    This app only runs under `streamlit run` (or AppTest), where the check has nothing to say. A Streamlit
    without that flag is left as it is (tests/components/test_runtime_tuning.py notices)."""
    import streamlit.delta_generator as delta_generator

    if hasattr(delta_generator, "_use_warning_has_been_displayed"):
        delta_generator._use_warning_has_been_displayed = True


def pass_data_url_icons_through() -> None:
    """Hand `st.set_page_config` a data-URL icon without importing numpy and Pillow first.

    Streamlit 1.67's `image_to_url` imports both before it looks at its argument, then returns a data URL
    unchanged: 0.17–0.24 s of a server's first paint here (numpy, with the browser competing for the cores),
    for a page that needs neither. A data URL is passed through as Streamlit itself would; any other icon goes
    to Streamlit's own code. A Streamlit without that function is left as it is (the test notices)."""
    import streamlit.commands.page_config as page_config

    original = getattr(page_config, "_get_favicon_string", None)
    if original is None or getattr(original, "_passes_data_urls", False):
        return

    def favicon_string(page_icon):
        if isinstance(page_icon, str) and page_icon.startswith("data:"):
            return page_icon
        return original(page_icon)

    favicon_string._passes_data_urls = True
    page_config._get_favicon_string = favicon_string


MALLOC_ARENAS = 2
_M_ARENA_MAX = -8  # glibc's mallopt parameter number
_arenas_limited = [False]


def limit_malloc_arenas() -> None:
    """Let glibc's malloc keep at most MALLOC_ARENAS heaps, whatever the number of threads.

    Streamlit runs every script run on a thread of its own, and glibc gives threads heaps of their own (up to 8
    per core); what a visitor's runs freed stays scattered over them after the visitor has gone. Measured with
    30 + 30 visitors on two replicas for 60 s (bench/load_bench.py): memory after everyone left +9% of idle with
    glibc's default, +3% with two arenas, update latency alike (KL p95 293 vs 569 ms: within this machine's run-to-run
    spread). The threads take the interpreter lock in turn, so they seldom contend for a heap. Set before most
    threads exist (app.py's first lines; the limit binds the heaps made from then on). An operator's
    MALLOC_ARENA_MAX wins; elsewhere than glibc, nothing to do."""
    if _arenas_limited[0] or os.environ.get("MALLOC_ARENA_MAX"):
        return
    _arenas_limited[0] = True
    mallopt = _glibc_function("mallopt")
    if mallopt is not None:
        mallopt(_M_ARENA_MAX, MALLOC_ARENAS)


def release_freed_memory() -> None:
    """Collect cyclic garbage, then give the C heap's free pages back to the system.

    glibc keeps freed memory in its heaps; after 15 training visitors' sessions were freed, the server's resident
    memory stayed at 497 MiB until `malloc_trim` brought it to 451 MiB (idle: 408 MiB). ctypes lets go of the
    interpreter lock during the call. Elsewhere than glibc, only the collection."""
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
