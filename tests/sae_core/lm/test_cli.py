import json
import subprocess
import sys
from pathlib import Path

import pytest

from sae_core.cache import TRAIN_LOCK, lock_file
from sae_core.cli import main
from sae_core.lm.persistence import load_lm
from sae_core.models.persistence import load_sae

ROOT = Path(__file__).resolve().parents[3]
TINY_ARGS = ["--corpus-cap", "60000", "--d-model", "16", "--heads", "2", "--d-mlp", "32", "--context", "16",
             "--steps", "10", "--batch-size", "4", "--sae-steps", "10", "--samples", "1024", "--latents", "64",
             "--sae-batch-size", "128"]


@pytest.mark.slow  # trains a language model
def test_lm_train_then_eval_prints_one_json_line_each(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["lm", "train", "--out", str(out), *TINY_ARGS]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    trained = json.loads(lines[0])
    assert trained["d_mlp"] == 32 and trained["heldout_bits_per_char"] > 0
    assert load_lm(out).d_mlp == 32
    model, _, cfg = load_sae(out / "sae")
    assert cfg["d_in"] == 32 and model.d_sae == 64
    assert main(["lm", "eval", "--model", str(out), "--eval-chars", "3000", "--heldout-chars", "3000"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    for key in ("bits_per_char", "fve", "l0", "dead_fraction", "neurons", "latents", "pure_ratio"):
        assert key in result, key
    assert 0 < result["bits_per_char"] < 9 and result["l0"] <= 16 + 1e-9
    assert {"median_purity", "pure_share"} <= set(result["latents"])


def test_a_second_train_into_the_same_folder_finds_it_done(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["lm", "train", "--out", str(out), *TINY_ARGS]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(["lm", "train", "--out", str(out), *TINY_ARGS]) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["heldout_bits_per_char"] == first["heldout_bits_per_char"]
    assert "lm" not in second["stage_seconds"]


def test_eval_of_a_damaged_folder_is_an_error_message(tmp_path, capsys):
    (tmp_path / "lm.json").write_text("{}")
    assert main(["lm", "eval", "--model", str(tmp_path)]) == 2
    assert "error" in capsys.readouterr().err


def _train_with_the_lock_held(tmp_path, capsys, holder):
    out = tmp_path / "run"
    out.mkdir()
    held = holder(out / TRAIN_LOCK)
    try:
        assert main(["lm", "train", "--out", str(out), *TINY_ARGS]) == 2
        assert "another process is training" in capsys.readouterr().err
        assert sorted(p.name for p in out.iterdir()) == [TRAIN_LOCK]  # nothing written beside the lock
    finally:
        held()
    assert main(["lm", "train", "--out", str(out), *TINY_ARGS]) == 0  # once it is let go, it trains
    assert load_lm(out).d_mlp == 32


def test_a_second_trainer_on_a_folder_another_process_trains_writes_nothing(tmp_path, capsys):
    def other_process(path):
        child = subprocess.Popen([sys.executable, "-c", "import sys, time; from sae_core.cache import lock_file; "
                                  "held = lock_file(sys.argv[1]); print(held is not None, flush=True); time.sleep(120)",
                                  str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert child.stdout.readline().strip() == "True"
        return lambda: (child.kill(), child.wait())

    _train_with_the_lock_held(tmp_path, capsys, other_process)


def test_the_lock_is_the_one_an_open_handle_in_this_process_holds_too(tmp_path, capsys):
    def this_process(path):
        handle = lock_file(path)
        assert handle is not None
        return handle.close

    _train_with_the_lock_held(tmp_path, capsys, this_process)
