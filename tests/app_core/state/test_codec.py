"""Every page's state round-trips through the URL, and a tampered field is reported, never trusted."""

from dataclasses import fields, replace

import pytest

from app_core.state import codec
from app_core.state.explorer import ExplorerState
from app_core.state.frontier import FrontierState
from app_core.state.kl import KLState
from app_core.state.norms import NormsState
from app_core.state.tradeoff import TradeoffState
from app_core.state.training import TrainState
from sae_core.divergence import Density

NON_DEFAULT = {
    TradeoffState: dict(data="toy", arch="kl", latents=128, l1=5.0, rho=0.12, beta=50.0, lr=1e-2, seed=7, probe=3),
    TrainState: dict(source="digits", toy_features=32, toy_prob=0.1, toy_magnitude="exponential", toy_groups=3,
                     toy_noise=0.05, idx_folder="/data/mnist", arch="topk", latents=512, epochs=12.5, lr=3e-4,
                     batch=1024, k=32, l0_coef=3.0, seed=42),
    ExplorerState: dict(sort="max", density_low=-4.0, density_high=-1.5, hide_dead=True, latent=17),
    FrontierState: dict(data="mnist", measure="fve"),
    KLState: dict(mode="discrete", units="bits", shade="js", p=Density("laplace", 0.5, 2.0),
                  q=Density("mixture", -1.25, 0.75)),
    NormsState: dict(entries=(0.0, -3.0, 2.9, 0.1, 0.0, -0.7), w1=-2.5, w2=0.3, angle=175.0, elongation=4.75,
                     radius=0.35, lam=1.15, shrink="relu"),
}


@pytest.mark.parametrize("cls", list(NON_DEFAULT), ids=lambda c: c.__name__)
def test_non_default_state_round_trips(cls):
    state = replace(cls(), **NON_DEFAULT[cls])
    query = codec.to_query(state)
    assert all(isinstance(v, str) for v in query.values())
    parsed, problems = codec.from_query(cls, query)
    assert problems == [] and parsed == state


@pytest.mark.parametrize("cls", list(NON_DEFAULT), ids=lambda c: c.__name__)
def test_every_field_rejects_garbage_and_keeps_its_default(cls):
    for f in fields(cls):
        param = f.metadata["url"][0]
        for garbage in ("\x00", "nan", "1e309", "-5", "x" * 600):
            state, problems = codec.from_query(cls, {param: garbage})
            if problems:
                assert param in problems[0]
                assert getattr(state, f.name) == getattr(cls(), f.name)
            else:  # the text happened to be valid for this field (a free-text folder, say)
                assert getattr(state, f.name) is not None


def test_messages_name_the_field_and_say_what_is_allowed():
    state, problems = codec.from_query(TradeoffState, {"arch": "transformer", "l1": "0.4", "seed": "2.5"})
    assert state == TradeoffState()
    assert any("'arch'" in p and "relu, kl" in p for p in problems)
    assert any("'l1'" in p and "0.3, 0.5" in p for p in problems)
    assert any("'seed'" in p and "whole number" in p for p in problems)


def test_cross_field_rules_repair_and_report():
    state, problems = codec.from_query(TradeoffState, {"data": "toy", "latents": "512"})
    assert state.latents == 64 and "512 latents" in problems[0]
    state, problems = codec.from_query(ExplorerState, {"dlo": "-1", "dhi": "-5"})
    assert (state.density_low, state.density_high) == (-5.0, -1.0) and problems
    state, problems = codec.from_query(TrainState, {"toy_features": "4", "toy_groups": "10"})
    assert state.toy_groups == 0 and "Correlated pairs" in problems[0]


def test_auto_learning_rate_means_the_preset_for_the_data():
    toy, images = TradeoffState(data="toy", latents=64).hparams("toy"), TradeoffState().hparams("images")
    assert toy.lr == 1e-2 and images.lr == 3e-3
    assert TradeoffState(lr=3e-4).hparams("toy").lr == 3e-4
    assert codec.to_query(TradeoffState())["lr"] == "auto"


def test_train_state_caps_k_at_the_dictionary_size():
    hp = TrainState(arch="topk", k=64, latents=16).hparams("images")
    assert hp.k == 16 and hp.batch_size == 256


def test_what_a_link_gives_is_what_the_page_writes_back():
    """Each of these was taken from a link and written back as another value (or could not be read back)."""
    for cls, query in [(ExplorerState, {"dlo": "-0.001953125"}), (TrainState, {"toy_prob": "0.1234567"}),
                       (KLState, {"p": "gaussian,0.1234567,1"}), (KLState, {"pb": ",".join(["1e308"] * 10)}),
                       (KLState, {"qb": "0,0,0,9.93711,0,1.2566,0.333333,0,0.81212,4.98981"})]:  # bars summed to 0.9999
        state, problems = codec.from_query(cls, query)
        assert problems == [] and codec.from_query(cls, codec.to_query(state)) == (state, [])
    assert codec.to_query(ExplorerState(density_low=-4.0))["dlo"] == "-4"  # short where short is exact


def test_a_long_value_is_quoted_short_and_a_folder_name_too_long_to_look_up_is_refused():
    _, problems = codec.from_query(TradeoffState, {"seed": "x" * 10_000})
    assert len(problems) == 1 and len(problems[0]) < 120
    state, problems = codec.from_query(TrainState, {"idx_folder": "/data/" + "a" * 300})
    assert state.idx_folder == "" and "longer than 255 bytes" in problems[0]
