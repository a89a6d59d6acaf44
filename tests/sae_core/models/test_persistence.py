import json
import zipfile
import io

import numpy as np
import pytest
import torch
from safetensors.torch import load_file, save_file

from sae_core.data import ToyConfig, make_toy
from sae_core.models import SPECS, HParams, build
from sae_core.models.persistence import from_zip, load_sae, save_sae, to_zip
from sae_core.evaluation.evaluate import run_model
from sae_core.training.trainer import Trainer


@pytest.fixture(scope="module")
def toy():
    return make_toy(ToyConfig(n_features=16, d=8, n_samples=3000, seed=1))


@pytest.mark.parametrize("arch", list(SPECS))
def test_save_load_gives_identical_outputs_in_original_space(tmp_path, toy, arch):
    hp = HParams(k=3, lr=1e-2)
    trainer = Trainer(build(arch, 8, 16, seed=0), toy.x, hp, seed=0)
    trainer.step(50)
    save_sae(trainer.model, tmp_path, hp, trainer.input_scale)
    tensors = load_file(tmp_path / "sae_weights.safetensors")
    assert tensors["W_enc"].shape == (8, 16) and tensors["W_dec"].shape == (16, 8)
    assert tensors["b_enc"].shape == (16,) and tensors["b_dec"].shape == (8,)
    cfg = json.loads((tmp_path / "cfg.json").read_text())
    assert cfg["architecture"] == (SPECS[arch].saelens_name or arch) and cfg["d_in"] == 8 and cfg["d_sae"] == 16
    assert cfg["metadata"]["sae_lens_version"] == "6.54.12" and cfg["metadata"]["sae_playground"]["architecture"] == arch
    model, hp2, _ = load_sae(tmp_path)
    assert model.architecture == arch
    x_hat_trained, f_trained, _ = run_model(trainer.model, hp, toy.x, trainer.input_scale)
    x_hat_loaded, f_loaded, _ = run_model(model, hp2, toy.x, 1.0)
    np.testing.assert_allclose(x_hat_loaded, x_hat_trained, rtol=1e-4, atol=1e-5)
    # Saved activations are in the inputs' original units (f / s), decoder rows keep unit norm; the
    # sigmoid model keeps its activations and folds s into its encoder instead.
    unit = 1.0 if arch == "kl" else trainer.input_scale
    np.testing.assert_allclose(f_loaded * unit, f_trained, rtol=1e-4, atol=1e-5)
    if arch != "kl":
        np.testing.assert_allclose(tensors["W_dec"].norm(dim=1).numpy(), 1.0, rtol=1e-5)


def test_variant_extras_are_saved(tmp_path, toy):
    for arch, key in (("jumprelu", "threshold"), ("kl", "gain")):
        save_sae(build(arch, 8, 16), tmp_path / arch, HParams(), 2.0)
        assert key in load_file(tmp_path / arch / "sae_weights.safetensors")
    save_sae(build("topk", 8, 16), tmp_path / "topk", HParams(k=7), 2.0)
    assert json.loads((tmp_path / "topk" / "cfg.json").read_text())["k"] == 7


def test_zip_round_trip():
    model = build("relu", 8, 16)
    data = to_zip(model, HParams(), 1.0, name="mine")
    loaded, _, cfg = from_zip(data)
    torch.testing.assert_close(loaded.W_dec, model.W_dec)


def test_wrong_shapes_keys_and_garbage_are_rejected(tmp_path):
    save_sae(build("relu", 8, 16), tmp_path, HParams(), 1.0)
    tensors = load_file(tmp_path / "sae_weights.safetensors")
    tensors["W_enc"] = torch.zeros(8, 15)
    save_file(tensors, tmp_path / "sae_weights.safetensors")
    with pytest.raises(ValueError, match="W_enc has shape"):
        load_sae(tmp_path)
    del tensors["W_enc"]
    save_file(tensors, tmp_path / "sae_weights.safetensors")
    with pytest.raises(ValueError, match="lacks W_enc"):
        load_sae(tmp_path)
    (tmp_path / "sae_weights.safetensors").write_bytes(b"\x80\x04pickle, never loaded")
    with pytest.raises(ValueError, match="safetensors"):
        load_sae(tmp_path)
    (tmp_path / "cfg.json").write_text("{not json")
    with pytest.raises(ValueError, match="JSON"):
        load_sae(tmp_path)
    with pytest.raises(ValueError, match="zip"):
        from_zip(b"not a zip")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("cfg.json", "{}")
    with pytest.raises(ValueError, match="exactly one"):
        from_zip(buf.getvalue())


def test_sparsity_file_holds_log10_densities(tmp_path):
    save_sae(build("relu", 8, 16), tmp_path, HParams(), 1.0, density=np.array([0.5, 0.0] + [0.1] * 14))
    sparsity = load_file(tmp_path / "sparsity.safetensors")["sparsity"]
    assert sparsity.shape == (16,)
    assert float(sparsity[0]) == pytest.approx(np.log10(0.5)) and float(sparsity[1]) == pytest.approx(-10.0)


def test_a_format_1_export_still_loads(tmp_path, toy):
    """Files downloaded before the SAELens names: architecture "relu", weights folded with W_dec / s."""
    model = build("relu", 8, 16, seed=3)
    s = 2.5
    tensors = {"W_enc": model.W_enc.detach() * s, "b_enc": model.b_enc.detach(), "W_dec": model.W_dec.detach() / s,
               "b_dec": model.b_dec.detach() / s}
    save_file({k: v.contiguous() for k, v in tensors.items()}, tmp_path / "sae_weights.safetensors")
    (tmp_path / "cfg.json").write_text(json.dumps({"architecture": "relu", "d_in": 8, "d_sae": 16,
                                                   "sae_playground_format": 1, "hparams": {"l1": 0.5}}))
    loaded, hp, _ = load_sae(tmp_path)
    assert loaded.architecture == "relu" and hp.l1 == 0.5
    np.testing.assert_allclose(run_model(loaded, hp, toy.x, 1.0)[0], run_model(model, hp, toy.x, s)[0],
                               rtol=1e-4, atol=1e-5)
