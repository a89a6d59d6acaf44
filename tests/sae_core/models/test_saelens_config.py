"""SAELens cfg.json translation without SAELens itself (tests/interop/ checks it against the real package)."""

import json

import pytest
import torch
from safetensors.torch import save_file

from sae_core.models import HParams, build
from sae_core.models.persistence import load_sae
from sae_core.models.saelens import architecture_here, check_fields, fold_into_weights


def write(folder, cfg, tensors):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cfg.json").write_text(json.dumps(cfg))
    save_file({k: v.contiguous() for k, v in tensors.items()}, folder / "sae_weights.safetensors")


def weights(d_in=4, d_sae=6, seed=0):
    g = torch.Generator().manual_seed(seed)
    return {"W_enc": torch.randn(d_in, d_sae, generator=g), "b_enc": torch.randn(d_sae, generator=g),
            "W_dec": torch.randn(d_sae, d_in, generator=g), "b_dec": torch.randn(d_in, generator=g)}


def test_architecture_names_both_ways():
    assert architecture_here({"architecture": "standard"}) == "relu"
    assert architecture_here({"architecture": "standard", "metadata": {"sae_playground": {"architecture": "ae"}}}) == "ae"
    assert architecture_here({"architecture": "batchtopk"}) == "jumprelu"
    with pytest.raises(ValueError, match="gated.*magnitude"):
        architecture_here({"architecture": "gated"})
    with pytest.raises(ValueError, match="unknown architecture 'transcoder'"):
        architecture_here({"architecture": "transcoder"})


@pytest.mark.parametrize("field,value,words", [
    ("normalize_activations", "layer_norm", "normalize_activations 'layer_norm'"),
    ("normalize_activations", "expected_average_only_in", "scaling factor"),
    ("dtype", "int8", "dtype 'int8'"),
    ("reshape_activations", "hook_z", "reshape_activations"),
])
def test_fields_that_cannot_be_honoured_are_named(field, value, words):
    with pytest.raises(ValueError, match=words):
        check_fields({field: value})


def test_half_precision_is_read_and_noted():
    assert check_fields({"dtype": "torch.bfloat16"}) == [
        "stored as bfloat16, computed here in float32 (SAELens computes in bfloat16)"]
    assert check_fields({"dtype": "float32"}) == []


def test_b_dec_off_the_input_and_decoder_norm_rescaling_fold_exactly(tmp_path):
    t = weights()
    x = torch.randn(10, 4)
    norms = t["W_dec"].norm(dim=1)
    # What SAELens computes for TopK with rescale_acts_by_decoder_norm and apply_b_dec_to_input false
    pre = (x @ t["W_enc"] + t["b_enc"]) * norms
    values, idx = pre.topk(2, dim=1)
    f = torch.zeros_like(pre).scatter(1, idx, values.relu())
    x_hat = (f / norms) @ t["W_dec"] + t["b_dec"]
    cfg = {"architecture": "topk", "d_in": 4, "d_sae": 6, "k": 2, "rescale_acts_by_decoder_norm": True,
           "apply_b_dec_to_input": False, "metadata": {"sae_lens_version": "6.54.12"}}
    write(tmp_path, cfg, t)
    model, hp, _ = load_sae(tmp_path)
    out = model(x, hp)
    torch.testing.assert_close(out.f, f, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(out.x_hat, x_hat, rtol=1e-5, atol=1e-5)


def test_batchtopk_loads_as_jumprelu_at_its_global_threshold():
    t = {**weights(), "topk_threshold": torch.tensor(0.25)}
    folded = fold_into_weights({"architecture": "batchtopk", "d_sae": 6}, t)
    assert torch.equal(folded["threshold"], torch.full((6,), 0.25)) and "topk_threshold" not in folded


def test_k_must_fit_the_dictionary(tmp_path):
    write(tmp_path, {"architecture": "topk", "d_in": 4, "d_sae": 6, "k": 60}, weights())
    with pytest.raises(ValueError, match="k = 60"):
        load_sae(tmp_path)
    model = build("topk", 4, 6)
    assert model.extra_config(HParams(k=3)) == {"k": 3, "rescale_acts_by_decoder_norm": False}


def test_batchtopk_k_is_a_training_setting(tmp_path):
    write(tmp_path, {"architecture": "batchtopk", "d_in": 4, "d_sae": 6, "k": 32.0},
          {**weights(), "topk_threshold": torch.tensor(0.1)})
    model, _, _ = load_sae(tmp_path)
    assert model.architecture == "jumprelu"
    write(tmp_path, {"architecture": "batchtopk", "d_in": 4, "d_sae": 6}, {**weights(), "topk_threshold": torch.zeros(0)})
    with pytest.raises(ValueError, match="one number"):
        load_sae(tmp_path)


def test_a_corrupt_zip_member_is_a_message_not_a_crash():
    import io
    import zipfile

    from sae_core.models.persistence import from_zip, to_zip

    data = bytearray(to_zip(build("relu", 4, 6), HParams(), 1.0, name="m"))
    start = data.find(b"sae_weights.safetensors") + 40  # inside the compressed weights, past the local header
    data[start:start + 8] = b"\x00" * 8
    with pytest.raises(ValueError):
        from_zip(bytes(data))
    assert zipfile.is_zipfile(io.BytesIO(bytes(data)))
