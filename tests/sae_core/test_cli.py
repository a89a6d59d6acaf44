import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sae_core.cli import main

pytestmark = pytest.mark.slow  # runs the CLI in fresh interpreters

ROOT = Path(__file__).resolve().parents[2]


def test_train_then_eval_on_toy(tmp_path, capsys):
    out = tmp_path / "model"
    assert main(["train", "--data", "toy", "--arch", "relu", "--latents", "64", "--steps", "600",
                 "--out", str(out)]) == 0
    trained = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert trained["mmcs"] > 0.9 and trained["steps"] == 600
    assert (out / "cfg.json").exists() and (out / "sae_weights.safetensors").exists()
    assert main(["eval", "--model", str(out), "--data", "toy"]) == 0
    evaluated = json.loads(capsys.readouterr().out.strip())
    for key in ("l0", "fve", "mmcs", "dead_fraction"):
        assert abs(evaluated[key] - trained[key]) < 1e-3, key


def test_train_on_user_csv_with_overrides(tmp_path, capsys):
    x = np.random.default_rng(0).normal(size=(300, 5))
    np.savetxt(tmp_path / "x.csv", x, delimiter=",")
    assert main(["train", "--data", str(tmp_path / "x.csv"), "--arch", "topk", "--k", "2", "--latents", "10",
                 "--epochs", "3", "--out", str(tmp_path / "m")]) == 0
    result = json.loads(capsys.readouterr().out.strip())
    assert result["l0"] <= 2 + 1e-9 and result["latents"] == 10


def test_bad_data_gives_an_error_message_and_exit_code(tmp_path, capsys):
    (tmp_path / "bad.csv").write_text("1,2\n3\n")
    assert main(["train", "--data", str(tmp_path / "bad.csv"), "--latents", "4", "--out", str(tmp_path / "o")]) == 2
    assert "ragged" in capsys.readouterr().err


def test_module_entry_point_help():
    result = subprocess.run([sys.executable, "-m", "sae_core", "train", "--help"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    for flag in ("--data", "--arch", "--latents", "--l1", "--k", "--rho", "--beta", "--steps", "--epochs", "--out"):
        assert flag in result.stdout
