import gc
import subprocess
import sys

from components.runtime_tuning import freeze_long_lived_objects, freeze_torch


def test_library_objects_are_frozen_once_per_process():
    frozen = freeze_long_lived_objects()
    assert frozen > 20_000  # plotly and Streamlit alone bring far more objects than this
    assert freeze_long_lived_objects() == frozen  # cached: a rerun of app.py freezes nothing new
    with_torch = freeze_torch()
    assert with_torch > 50_000 and freeze_torch() == with_torch
    assert gc.get_freeze_count() >= with_torch


def test_the_first_freeze_leaves_torch_unloaded():
    code = ("import sys; from components.runtime_tuning import freeze_long_lived_objects; "
            "freeze_long_lived_objects(); print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
