import json

from sae_core.cli import main
from sae_core.lm.persistence import load_lm
from sae_core.models.persistence import load_sae

TINY_ARGS = ["--corpus-cap", "60000", "--d-model", "16", "--heads", "2", "--d-mlp", "32", "--context", "16",
             "--steps", "10", "--batch-size", "4", "--sae-steps", "10", "--samples", "1024", "--latents", "64",
             "--sae-batch-size", "128"]


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
