import gc
import subprocess
import sys
from pathlib import Path

from components.runtime_tuning import freeze_new_libraries


def test_library_objects_are_frozen_once_and_a_run_that_imports_nothing_freezes_nothing():
    frozen = freeze_new_libraries()
    assert frozen > 20_000  # Streamlit and the test's libraries alone bring far more objects than this
    # Nothing imported since: nothing more frozen (frozen objects that die leave the count, so it may fall).
    assert freeze_new_libraries() == gc.get_freeze_count() <= frozen


def test_torch_loaded_after_a_freeze_is_frozen_too():
    code = ("from components.runtime_tuning import freeze_new_libraries; "
            "before = freeze_new_libraries(); import torch; print(freeze_new_libraries() - before)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(out.stdout.strip()) > 50_000  # torch's own objects


def test_the_deferred_freeze_runs_after_its_caller_and_only_when_modules_arrived():
    code = ("import gc, time; from components.runtime_tuning import freeze_new_libraries, freeze_new_libraries_soon; "
            "freeze_new_libraries(); before = gc.get_freeze_count(); freeze_new_libraries_soon(0.05); "
            "time.sleep(0.3); same = gc.get_freeze_count() <= before; "
            "import plotly.graph_objects as go; go.Figure(); freeze_new_libraries_soon(0.05); "
            "right_after = gc.get_freeze_count(); time.sleep(1.0); "
            "print(same, right_after <= before, gc.get_freeze_count() > before + 10_000)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "True"]


def test_malloc_arenas_are_limited_once_unless_the_operator_set_a_limit(monkeypatch):
    import components.runtime_tuning as tuning

    calls = []

    class Libc:
        def mallopt(self, param, value):
            calls.append((param, value))
            return 1

    monkeypatch.setattr(tuning.ctypes, "CDLL", lambda name: Libc())
    monkeypatch.setattr(tuning, "_arenas_limited", [False])
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    tuning.limit_malloc_arenas()
    tuning.limit_malloc_arenas()  # every run calls it: only the first reaches glibc
    assert calls == [(-8, tuning.MALLOC_ARENAS)]  # M_ARENA_MAX

    calls.clear()
    monkeypatch.setattr(tuning, "_arenas_limited", [False])
    monkeypatch.setenv("MALLOC_ARENA_MAX", "8")
    tuning.limit_malloc_arenas()
    assert calls == []  # the operator's choice stands


def test_limiting_malloc_arenas_in_a_real_process_keeps_it_working():
    code = ("from components.runtime_tuning import limit_malloc_arenas; limit_malloc_arenas(); "
            "import threading; out = []; "
            "ts = [threading.Thread(target=lambda: out.append(len(bytearray(1 << 20)))) for _ in range(8)]; "
            "[t.start() for t in ts]; [t.join() for t in ts]; print(sum(out))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(out.stdout.strip()) == 8 << 20


def test_the_first_element_of_a_process_does_not_walk_the_stack():
    # In a fresh process (the check runs once per process): with it skipped, drawing the first element never
    # calls inspect.stack(), which cost 0.14 s of a server's first paint.
    code = """
import inspect
import streamlit.delta_generator as dg
assert hasattr(dg, "_use_warning_has_been_displayed"), "Streamlit renamed its direct-execution flag"
from components.runtime_tuning import skip_direct_execution_check
skip_direct_execution_check()
def refuse(*a, **k):
    raise AssertionError("inspect.stack() was called")
inspect.stack = refuse
import streamlit as st
st.caption("first element")
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip().endswith("ok"), out.stderr


def test_a_data_url_tab_icon_reaches_the_page_config_without_numpy():
    # In a fresh process: Streamlit's own favicon code imports numpy and Pillow before it returns a data URL
    # unchanged (0.17–0.24 s of a first paint). With the pass-through, the page config still carries exactly what
    # Streamlit would have sent, and neither library is loaded; any other icon still goes through Streamlit.
    code = """
import sys
import streamlit as st
import streamlit.commands.page_config as page_config
assert hasattr(page_config, "_get_favicon_string"), "Streamlit renamed its favicon function"
from components.runtime_tuning import pass_data_url_icons_through
from components.tab_icon import TAB_ICON
streamlit_says = page_config._get_favicon_string
pass_data_url_icons_through()
pass_data_url_icons_through()  # twice: still one wrapper
assert page_config._get_favicon_string._passes_data_urls
assert page_config._get_favicon_string(TAB_ICON) == TAB_ICON
print("numpy" in sys.modules, "PIL.Image" in sys.modules)
print(streamlit_says(TAB_ICON) == TAB_ICON)  # Streamlit itself passes it through (and loads numpy to do so)
print(page_config._get_favicon_string("🧪") == streamlit_says("🧪") == "emoji:🧪")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.split() == ["False", "False", "True", "True"], out.stderr
