"""HParams is made from the specs: every knob and setting of every architecture is one field, none by hand."""

import dataclasses

import pytest

from sae_core.models import SPECS, HParams
from sae_core.models.hparams import SHARED, hparams_class
from sae_core.models.spec import ArchSpec, Knob
from sae_core.models.relu import ReLUSAE

GAMMA = Knob(param="gamma", label="γ", symbol="γ", values=(0.1, 0.2, 0.4), log=True,
             defaults={"toy": 0.1, "dense": 0.2})
NEW = ArchSpec(name="new", label="New", model=ReLUSAE, knobs=(GAMMA,), sweep=None, settings={"warmup": 100})


def test_every_knob_and_setting_of_every_spec_is_a_field_at_its_dense_preset():
    names = [f.name for f in dataclasses.fields(HParams)]
    expected = [name for name, _, _ in SHARED]
    for spec in SPECS.values():
        expected += [n for n in [k.param for k in spec.knobs] + list(spec.settings) if n not in expected]
    assert names == expected  # the order asdict writes into a saved model's cfg.json
    for spec in SPECS.values():
        for knob in spec.knobs:
            assert getattr(HParams(), knob.param) == knob.default("images")
    assert HParams().aux_k_coef == 1 / 32 and HParams().bandwidth == 0.05


def test_a_new_spec_gives_hparams_its_knob_and_its_setting():
    made = hparams_class([*SPECS.values(), NEW])
    hp = made(gamma=0.4)
    assert hp.gamma == 0.4 and made().gamma == 0.2 and made().warmup == 100 and made().k == HParams().k
    assert not hasattr(HParams(), "gamma")


def test_a_knob_declared_with_two_types_is_refused():
    whole = dataclasses.replace(GAMMA, param="l1", integer=True, values=(1, 2), defaults={"toy": 1, "dense": 1})
    with pytest.raises(TypeError, match="l1"):
        hparams_class([*SPECS.values(), dataclasses.replace(NEW, knobs=(whole,))])
