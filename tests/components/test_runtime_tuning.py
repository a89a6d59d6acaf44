import gc

from components.runtime_tuning import freeze_long_lived_objects


def test_library_objects_are_frozen_once_per_process():
    frozen = freeze_long_lived_objects()
    assert frozen > 50_000  # torch, scipy and plotly alone bring far more objects than this
    assert freeze_long_lived_objects() == frozen  # cached: a rerun of app.py freezes nothing new
    assert gc.get_freeze_count() >= frozen
