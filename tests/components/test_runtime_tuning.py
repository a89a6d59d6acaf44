import gc
import subprocess
import sys

from components.runtime_tuning import freeze_long_lived_objects, freeze_new_libraries


def test_library_objects_are_frozen_once_and_a_run_that_imports_nothing_freezes_nothing():
    frozen = freeze_long_lived_objects()
    assert frozen > 20_000  # plotly and Streamlit alone bring far more objects than this
    assert freeze_long_lived_objects() == frozen  # cached: a rerun of app.py freezes nothing new
    settled = freeze_new_libraries()
    assert freeze_new_libraries() == settled == gc.get_freeze_count()  # nothing imported since: nothing frozen


def test_the_first_freeze_leaves_torch_unloaded():
    code = ("import sys; from components.runtime_tuning import freeze_long_lived_objects; "
            "freeze_long_lived_objects(); print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_torch_loaded_after_the_first_freeze_is_frozen_too():
    code = ("import gc; from components.runtime_tuning import freeze_long_lived_objects, freeze_new_libraries; "
            "before = freeze_long_lived_objects(); import torch; print(freeze_new_libraries() - before)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(out.stdout.strip()) > 50_000  # torch's own objects
