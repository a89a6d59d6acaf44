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


def _zip_with(cfg_edit=None, weights=None, extra_members=()) -> bytes:
    """The export of a small ReLU SAE, its cfg.json edited, its weights replaced, members added."""
    source = zipfile.ZipFile(io.BytesIO(to_zip(build("relu", 4, 6), HParams(), 1.0, name="m")))
    members = {n: source.read(n) for n in source.namelist()}
    if cfg_edit is not None:
        cfg = json.loads(members["m/cfg.json"])
        members["m/cfg.json"] = cfg_edit(cfg) if callable(cfg_edit) else cfg_edit
        if isinstance(members["m/cfg.json"], dict):
            members["m/cfg.json"] = json.dumps(members["m/cfg.json"]).encode()
    if weights is not None:
        members["m/sae_weights.safetensors"] = weights
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in [*members.items(), *extra_members]:
            zf.writestr(name, data)
    return buf.getvalue()


def _facts(**hparams):
    def edit(cfg):
        cfg["metadata"]["sae_playground"]["hparams"].update(hparams)
        return cfg
    return edit


@pytest.mark.parametrize("cfg_edit,match", [
    (lambda c: {**c, "architecture": ["relu"]}, "architecture must be a name"),
    (lambda c: {**c, "metadata": {"sae_playground": {"architecture": {}, "hparams": [1]}}}, "hparams must be"),
    (_facts(k="many"), "hparams k"),
    (_facts(lr=10**400), "hparams lr"),
    (_facts(batch_size=0.5), "hparams batch_size"),
    (b"[" * 100_000, "nested too deeply"),
    (b'{"architecture": "relu", "d_in": ' + b"9" * 5000 + b', "d_sae": 6}', "too long"),
    (lambda c: {**c, "dtype": "x" * 10_000}, "dtype 'xxx"),
])
def test_a_tampered_cfg_json_is_refused_in_a_sentence(cfg_edit, match):
    """Each of these escaped as TypeError, AttributeError, RecursionError or OverflowError, was accepted
    (k = "many" then failed at the first forward pass), or quoted 10,000 characters back."""
    with pytest.raises(ValueError, match=match) as err:
        from_zip(_zip_with(cfg_edit))
    assert type(err.value) is ValueError and len(str(err.value)) < 300


def test_weights_must_be_finite_floats_even_after_folding():
    from safetensors.torch import save

    base = {"W_enc": torch.ones(4, 6), "b_enc": torch.zeros(6), "W_dec": torch.ones(6, 4), "b_dec": torch.zeros(4)}
    with pytest.raises(ValueError, match="W_enc is stored as complex64"):
        from_zip(_zip_with(weights=save({**base, "W_enc": torch.ones(4, 6, dtype=torch.complex64)})))
    huge = save({**base, "W_enc": torch.full((4, 6), 3e38), "b_dec": torch.full((4,), 3e38)})
    with pytest.raises(ValueError, match="b_enc overflows"):  # b_enc + b_dec·W_enc
        from_zip(_zip_with(lambda c: {**c, "apply_b_dec_to_input": False}, huge))


@pytest.mark.parametrize("name", ["../cfg.json", "/etc/passwd", "m/../../x", "..\\x", "C:\\x"])
def test_a_member_named_outside_its_folder_is_refused(name):
    with pytest.raises(ValueError, match="outside its folder"):
        from_zip(_zip_with(extra_members=[(name, b"x")]))

