"""Interop with the real SAELens 6.54.12, run in its own venv (.venv-saelens, built by `make test`).

Both ways: models trained here load in SAELens with the same encode/decode outputs, and SAELens SAEs
saved by `save_model` and `save_inference_model` load here with the same outputs or a clear refusal.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from sae_core.cli import main as cli_main
from sae_core.data import ToyConfig, make_toy
from sae_core.evaluation.evaluate import run_model
from sae_core.lm import LMSAE, load_corpus, load_lm
from sae_core.models import HParams, build
from sae_core.models.persistence import load_sae, save_sae
from sae_core.training.presets import default_hparams
from sae_core.training.trainer import Trainer

ROOT = Path(__file__).resolve().parents[2]
# The language model's CLI at a size that trains in seconds: a 1-layer LM with 32 MLP neurons, a TopK SAE of 64.
LM_TINY_ARGS = ["--corpus-cap", "60000", "--d-model", "16", "--heads", "2", "--d-mlp", "32", "--context", "16",
                "--steps", "10", "--batch-size", "4", "--sae-steps", "20", "--samples", "1024", "--latents", "64",
                "--sae-batch-size", "128"]
SAELENS_PYTHON = ROOT / ".venv-saelens" / "bin" / "python"
TOLERANCE = 1e-5  # |Δ| allowed between the two libraries' float32 outputs

pytestmark = pytest.mark.skipif(not SAELENS_PYTHON.exists(),
                                reason=".venv-saelens is missing: `make test` (or `make saelens`) builds it")

TO_SAELENS = ["relu", "ae", "topk", "jumprelu"]
FROM_SAELENS = {  # name → (architecture, save, cfg); outputs must match
    "standard-training": ("standard", "training", {}),
    "standard-inference": ("standard", "inference", {}),
    "standard-no-b_dec-in": ("standard", "inference", {"apply_b_dec_to_input": False}),
    "topk-training-rescaled": ("topk", "training", {"k": 4}),  # rescale_acts_by_decoder_norm defaults to true
    "topk-training-plain": ("topk", "training", {"k": 4, "rescale_acts_by_decoder_norm": False}),
    "topk-inference": ("topk", "inference", {"k": 4}),
    "jumprelu-training": ("jumprelu", "training", {}),
    "jumprelu-inference": ("jumprelu", "inference", {}),
    "batchtopk-training": ("batchtopk", "training", {"k": 4}),
    "batchtopk-inference": ("batchtopk", "inference", {"k": 4}),
    "bf16-inference": ("standard", "inference", {"dtype": "bfloat16"}),
}
REFUSED = {  # name → (architecture, save, cfg, words the refusal must contain)
    "gated": ("gated", "inference", {}, "gated"),
    "layer-norm": ("standard", "inference", {"normalize_activations": "layer_norm"}, "normalize_activations"),
    "expected-average": ("standard", "training", {"normalize_activations": "expected_average_only_in"},
                         "normalize_activations"),
}


def _lm_job(root: Path) -> dict:
    """`python -m sae_core lm train --out DIR` at a tiny size (seconds), and activations its LM gives on held-out
    text, for SAELens to read DIR/sae with."""
    out = root / "lm"
    assert cli_main(["lm", "train", "--out", str(out), *LM_TINY_ARGS]) == 0
    text = load_corpus(60_000).heldout[0].text[:400]
    np.save(root / "lm-acts.npy", load_lm(out).mlp_activations(text))
    return {"do": "load", "folder": str(out / "sae"), "inputs": str(root / "lm-acts.npy"),
            "out": str(root / "lm-sae.npz")}


@pytest.fixture(scope="module")
def exchange(tmp_path_factory):
    """Everything both directions need, with SAELens started once (it imports transformers: seconds)."""
    root = tmp_path_factory.mktemp("saelens")
    toy = make_toy(ToyConfig(n_features=24, d=12, n_samples=3000, seed=2))
    x = toy.x[:256].astype(np.float32)
    np.save(root / "x.npy", x)
    jobs, ours = [], {}
    for arch in TO_SAELENS:
        hp, _ = default_hparams(arch, "toy")
        hp.k = 4
        trainer = Trainer(build(arch, 12, 32, seed=0), toy.x, hp, seed=0)
        trainer.step(60)
        save_sae(trainer.model, root / arch, hp, trainer.input_scale)
        ours[arch] = (trainer, hp)
        jobs.append({"do": "load", "folder": str(root / arch), "inputs": str(root / "x.npy"),
                     "out": str(root / f"{arch}.npz"), "fold_W_dec_norm": arch in ("relu", "ae", "jumprelu")})
    save_sae(build("kl", 12, 32), root / "kl", HParams(), 1.0)
    jobs.append({"do": "load", "folder": str(root / "kl"), "inputs": str(root / "x.npy"), "out": str(root / "kl.npz")})
    for name, (arch, save, cfg, *_) in {**FROM_SAELENS, **REFUSED}.items():
        jobs.append({"do": "make", "architecture": arch, "save": save, "cfg": cfg, "d_in": 12, "d_sae": 32,
                     "folder": str(root / f"sl-{name}"), "inputs": str(root / "x.npy"), "out": str(root / f"sl-{name}.npz")})
    jobs.append(_lm_job(root))
    (root / "jobs.json").write_text(json.dumps(jobs))
    done = subprocess.run([str(SAELENS_PYTHON), str(Path(__file__).with_name("saelens_side.py")), str(root / "jobs.json")],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return root, x, ours


def result(root: Path, name: str) -> dict:
    error = root / f"{name}.error"
    assert not error.exists(), error.read_text()[:2000]
    return dict(np.load(root / f"{name}.npz"))


@pytest.mark.parametrize("arch", TO_SAELENS)
def test_models_trained_here_give_the_same_outputs_in_saelens(exchange, arch):
    root, x, ours = exchange
    trainer, hp = ours[arch]
    x_hat, f, _ = run_model(trainer.model, hp, x, trainer.input_scale)
    theirs = result(root, arch)
    # SAELens sees activations in the inputs' units: f / s (decoder rows of norm 1)
    assert np.abs(theirs["f"] - f / trainer.input_scale).max() < TOLERANCE
    assert np.abs(theirs["x_hat"] - x_hat).max() < TOLERANCE
    if "folded_f" in theirs:  # SAELens' fold_W_dec_norm finds nothing to rescale
        assert np.abs(theirs["folded_f"] - theirs["f"]).max() < TOLERANCE
    cfg = json.loads((root / arch / "cfg.json").read_text())
    assert cfg["metadata"]["sae_lens_version"] == "6.54.12"


def test_the_kl_model_has_no_saelens_architecture_and_saelens_says_so(exchange):
    root, _, _ = exchange
    error = (root / "kl.error").read_text()
    assert "kl" in error.splitlines()[0]


@pytest.mark.parametrize("name", list(FROM_SAELENS))
def test_saelens_saes_load_here_with_the_same_outputs(exchange, name):
    root, x, _ = exchange
    reference = result(root, f"sl-{name}")
    model, hp, cfg = load_sae(root / f"sl-{name}")
    x_hat, f, _ = run_model(model, hp, x, 1.0)
    # SAELens computes a bf16 file in bf16: there the two agree to bf16's rounding (8 bits of mantissa)
    tolerance = 0.02 * max(1.0, float(np.abs(reference["x_hat"]).max())) if "bf16" in name else TOLERANCE
    assert np.abs(f - reference["f"]).max() < tolerance
    assert np.abs(x_hat - reference["x_hat"]).max() < tolerance
    if "bf16" in name:
        assert any("bfloat16" in note for note in cfg["load_notes"])


@pytest.mark.parametrize("name", list(REFUSED))
def test_what_cannot_be_honoured_is_refused_naming_the_field(exchange, name):
    root, _, _ = exchange
    words = REFUSED[name][3]
    with pytest.raises(ValueError, match=words):
        load_sae(root / f"sl-{name}")


def test_the_language_models_sae_written_by_the_command_line_gives_the_same_outputs_in_saelens(exchange):
    root, _, _ = exchange
    acts = np.load(root / "lm-acts.npy")
    x_hat, f, _ = LMSAE.load(root / "lm" / "sae").forward_np(acts)  # ours: raw MLP activations in, as saved
    theirs = result(root, "lm-sae")
    assert (f > 0).any(), "some latents fire on the held-out text"
    scale = max(1.0, float(np.abs(acts).max()))
    assert np.abs(theirs["f"] - f).max() < TOLERANCE * scale
    assert np.abs(theirs["x_hat"] - x_hat).max() < TOLERANCE * scale
    cfg = json.loads((root / "lm" / "sae" / "cfg.json").read_text())
    assert cfg["d_in"] == 32 and cfg["d_sae"] == 64 and cfg["architecture"] == "topk"
