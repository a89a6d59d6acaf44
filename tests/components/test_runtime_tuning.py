import gc
import subprocess
import sys

import pytest

from components.runtime_tuning import freeze_new_libraries

pytestmark = pytest.mark.slow  # starts fresh interpreters


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
