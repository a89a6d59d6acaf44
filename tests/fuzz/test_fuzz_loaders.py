"""Every loader of a visitor's file, fuzzed: valid files damaged every way the generators in `cases.py` know.

A loader returns what the trainer needs or raises a plain ValueError with a short message; nothing else
escapes, no pickle runs, and a zip or gzip bomb is refused before it is inflated.
"""

import tempfile
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given

from . import cases
from .cases import fuzz_settings


@fuzz_settings(1200)
@given(cases.npy_files())
def test_npy_uploads(case):
    how, data = case
    outcome = cases.check_array(data, "upload.npy")
    cases.TALLY.record("npy", outcome)
    if how in ("object", "pickle", "declared"):
        assert outcome is not None


@fuzz_settings(1200)
@given(cases.csv_files())
def test_csv_uploads(case):
    how, data = case
    outcome = cases.check_array(data, "upload.csv")
    cases.TALLY.record("csv", outcome)
    if how in ("valid", "header", "blank", "breaks"):
        assert outcome is None or "zero variance" in outcome or "at least 2 samples" in outcome


@pytest.fixture(scope="module")
def scratch():
    with tempfile.TemporaryDirectory(prefix="sae-fuzz-idx-") as root:
        yield Path(root)


@fuzz_settings(600)
@given(case=cases.idx_folders())
def test_idx_folders(scratch, case):
    how, files = case
    outcome = cases.check_idx(cases.write_folder(scratch, files))
    cases.TALLY.record("idx", outcome)
    if how in ("valid", "two"):
        assert outcome is None
    if how in ("declared", "pickle", "bomb", "empty", "shapes"):
        assert outcome is not None


@fuzz_settings(1000)
@given(cases.model_zips())
def test_model_zips(case):
    how, data = case
    outcome = cases.check_zip(data)
    cases.TALLY.record("zip", outcome)
    if how == "valid":
        assert outcome is None
    if how.startswith("bomb") or how in ("traversal", "not_zip"):
        assert outcome is not None


@pytest.mark.parametrize("bomb", sorted(cases.zip_bombs()))
def test_zip_bombs_are_refused_before_they_inflate(bomb):
    tracemalloc.start()
    started = time.perf_counter()
    try:
        outcome = cases.check_zip(cases.zip_bombs()[bomb])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert outcome is not None
    # Reading the lying member whole took 2 GiB and 8 s; in 1 MiB chunks it stops at the first.
    assert peak < 32 * 2**20 and time.perf_counter() - started < 5


def test_a_gzip_bomb_stops_at_the_idx_cap(scratch):
    from sae_core.data.images import MAX_IDX_BYTES

    folder = cases.write_folder(scratch, {"train-images-idx3-ubyte.gz": cases.gzip_bomb()})
    tracemalloc.start()
    try:
        outcome = cases.check_idx(folder)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert outcome is not None and "limit" in outcome
    assert peak < 2 * MAX_IDX_BYTES


def test_a_pickled_payload_would_be_noticed():
    """The marker check is live: unpickling the payload does create the marker (removed again here)."""
    import pickle

    pickle.loads(cases.PICKLE)
    try:
        with pytest.raises(AssertionError, match="executed"):
            cases.assert_nothing_executed()
    finally:
        cases.MARKER.rmdir()
