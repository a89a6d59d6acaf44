"""Page states' knob fields come from the specs: existing links read and write as before, and an architecture
added to the registry brings its knob to the Train page's state (and its URL) and to HParams."""

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from app_core.state import codec
from app_core.state.tradeoff import TradeoffState
from app_core.state.training import TrainState
from app_core.talk import SCENES

ROOT = Path(__file__).resolve().parents[3]


def test_train_links_keep_their_parameters_order_and_defaults():
    assert list(codec.to_query(TrainState()))[-7:] == ["batch", "l1", "rho", "beta", "k", "l0_coef", "seed"]
    assert codec.to_query(TrainState())["k"] == "16"  # a link leaving k out opens k = 16, as it always did
    assert {k: codec.to_query(TrainState())[k] for k in ("l1", "rho", "beta", "l0_coef")} == \
        {"l1": "1", "rho": "0.05", "beta": "20", "l0_coef": "1"}
    assert list(codec.to_query(TradeoffState())) == ["data", "arch", "latents", "l1", "rho", "beta", "lr", "seed",
                                                     "probe"]


def test_every_scene_link_and_a_written_train_link_read_back_unchanged():
    link = {"source": "toy", "arch": "jumprelu", "latents": "96", "l1": "0.5", "rho": "0.1", "beta": "50",
            "k": "8", "l0_coef": "0.03", "seed": "5"}
    state, problems = codec.from_query(TrainState, link)
    assert problems == [] and (state.k, state.l0_coef, state.beta) == (8, 0.03, 50.0)
    assert {name: codec.to_query(state)[name] for name in link} == link
    for scene in SCENES:
        cls = {"train": TrainState, "sparsity": TradeoffState}.get(scene.page)
        if cls:
            written = codec.to_query(codec.from_query(cls, scene.query)[0])
            assert {name: written[name] for name in scene.query} == scene.query, scene.slug


def test_a_knob_off_its_grid_is_refused_in_words():
    state, problems = codec.from_query(TrainState, {"k": "7", "l0_coef": "2"})
    assert (state.k, state.l0_coef) == (16, 1.0) and len(problems) == 2
    assert "k must be one of" in problems[0] and "L0 coefficient must be one of" in problems[1]


NEW_ARCHITECTURE = """
import dataclasses
import sae_core.models as models
from sae_core.models.hparams import hparams_class
from sae_core.models.relu import ReLUSAE
from sae_core.models.spec import ArchSpec, Knob

gamma = Knob(param="gamma", label="Gamma γ — loss = ‖x − x̂‖² + γ·…", symbol="γ", values=(0.1, 0.2, 0.4), log=True,
             defaults={"toy": 0.1, "dense": 0.2})
# What one more line in the registry does: the spec in SPECS, and HParams made from SPECS.
models.SPECS["new"] = ArchSpec(name="new", label="New", model=ReLUSAE, knobs=(gamma,), sweep=None)
models.HParams = hparams_class(models.SPECS.values())

from app_core.state import codec
from app_core.state.training import TrainState

state, problems = codec.from_query(TrainState, {"arch": "new", "gamma": "0.4"})
assert problems == [] and state.gamma == 0.4, problems
assert codec.to_query(state)["gamma"] == "0.4" and TrainState().gamma == 0.2
assert codec.from_query(TrainState, {"gamma": "0.3"})[1], "off the knob's grid"
assert state.hparams("toy").gamma == 0.4
print("ok")
"""


@pytest.mark.slow  # a fresh interpreter
def test_a_new_architecture_brings_its_knob_to_the_train_state_and_hparams():
    # In a process of its own: the registry is read once, at import.
    out = subprocess.run([sys.executable, "-c", NEW_ARCHITECTURE], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr
    assert "gamma" not in {f.name for f in dataclasses.fields(TrainState)}
