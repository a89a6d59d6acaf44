import math

import numpy as np
import pytest

from sae_core.lm.sae import LMSAE
from sae_core.lm.steering import Steer

from .conftest import trained_sae


def test_generation_is_seeded(tiny_lm):
    a = tiny_lm.generate("def ", 30, temperature=1.0, seed=5)
    assert a == tiny_lm.generate("def ", 30, temperature=1.0, seed=5)
    assert len(a.encode("utf-8", errors="surrogatepass")) >= 1
    assert tiny_lm.generate("", 5, temperature=0, seed=0) == tiny_lm.generate("", 5, temperature=0, seed=1)


def test_steering_a_latent_changes_the_text(tiny_lm, tiny_acts, tmp_path):
    trainer = trained_sae(tiny_acts, "relu")
    sae = LMSAE(trainer.model.eval(), trainer.hp, {})
    plain = tiny_lm.generate("import ", 40, temperature=0, seed=0)
    for mode in ("add", "clamp"):
        steered = tiny_lm.generate("import ", 40, temperature=0, seed=0, steer=Steer(3, 200.0, mode, sae))
        assert steered != plain, mode


def test_steering_a_neuron_changes_the_text(tiny_lm):
    plain = tiny_lm.generate("x = ", 40, temperature=0.5, seed=2)
    steered = tiny_lm.generate("x = ", 40, temperature=0.5, seed=2, steer=Steer(0, 100.0, "clamp"))
    assert steered != plain


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, np.float32("nan"), "1", True])
def test_nan_or_infinite_strength_is_refused(value):
    with pytest.raises(ValueError, match="finite"):
        Steer(0, value, "add")


def test_bad_steers_and_arguments_are_refused(tiny_lm):
    assert Steer(np.int64(2), np.float32(1.5)).value == 1.5  # numpy numbers are numbers
    with pytest.raises(ValueError, match="mode"):
        Steer(0, 1.0, "multiply")
    with pytest.raises(ValueError, match="does not exist"):
        tiny_lm.generate("x", 3, steer=Steer(tiny_lm.d_mlp, 1.0))
    with pytest.raises(ValueError, match="temperature"):
        tiny_lm.generate("x", 3, temperature=math.nan)
    with pytest.raises(ValueError, match="n must"):
        tiny_lm.generate("x", -1)


def test_a_tiny_temperature_is_greedy_not_an_overflow(tiny_lm):
    assert tiny_lm.generate("def ", 8, temperature=1e-30, seed=1) == tiny_lm.generate("def ", 8, temperature=0)
