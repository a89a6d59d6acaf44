"""Each architecture's facts live in its own file and are complete."""

import pytest

from sae_core.models import DATA_KINDS, SPECS, build, spec_of


@pytest.mark.parametrize("name", list(SPECS))
def test_spec_is_complete_and_consistent(name):
    spec = SPECS[name]
    assert spec.name == name and spec.model(4, 6).architecture == name and spec.label and spec.firing
    for knob in spec.knobs:
        assert list(knob.values) == sorted(knob.values) and len(set(knob.values)) == len(knob.values)
        for kind in DATA_KINDS:
            assert knob.default(kind) in knob.values  # the page's slider can show the preset
    if spec.sweep is not None:
        param, values = spec.sweep
        knob = spec.knob(param)
        assert len(values) >= 3 and list(values) == sorted(set(values))
        # Every frontier point was trained at a setting a visitor can reach on the knob's slider.
        assert knob.values[0] <= values[0] and values[-1] <= knob.values[-1], (values, knob.values)


def test_every_sparse_architecture_has_a_knob_and_the_autoencoder_none():
    assert all(SPECS[n].knobs for n in ("relu", "kl", "topk", "jumprelu")) and SPECS["ae"].knobs == ()


def test_knob_lookup_by_name():
    assert spec_of("kl").knob("rho").symbol == "ρ"
    with pytest.raises(KeyError):
        spec_of("relu").knob("k")


def test_unknown_architecture_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="relu, kl, topk, jumprelu, ae"):
        build("gated", 4, 8)


@pytest.mark.parametrize("name", list(SPECS))
def test_extra_tensors_load_back(name):
    import torch

    a, b = build(name, 5, 7, seed=1), build(name, 5, 7, seed=2)
    for p in b.parameters():
        torch.nn.init.normal_(p)
    a.load_extra_tensors(b.extra_tensors())
    for key, value in b.extra_tensors().items():
        torch.testing.assert_close(a.extra_tensors()[key], value, rtol=1e-5, atol=1e-6)
