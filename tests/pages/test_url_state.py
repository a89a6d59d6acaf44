"""Each page's state: set non-default values with the widgets, open the URL they wrote in a fresh session,
and find the same state there. A tampered URL is reported and changes nothing else."""

import pytest

from app_core.state import codec
from app_core.state.explorer import ExplorerState
from app_core.state.frontier import FrontierState
from app_core.state.kl import KLState
from app_core.state.norms import NormsState
from app_core.state.tradeoff import TradeoffState
from app_core.state.training import TrainState

from .conftest import live_entry, on_page


def reopen(at, page: str):
    """A fresh session opening the URL that `at`'s page wrote."""
    fresh = on_page(page)
    for key, value in at.query_params.items():
        fresh.query_params[key] = value[0] if isinstance(value, list) else value
    return fresh.run()


def test_sparsity_state_survives_its_link():
    at = on_page("sparsity").run()
    at.radio(key="so_data").set_value("toy").run()
    at.radio(key="so_arch").set_value("kl").run()
    at.selectbox(key="so_latents").set_value(128).run()
    at.select_slider(key="so_rho").set_value(0.1).run()
    at.select_slider(key="so_beta").set_value(50.0).run()
    at.select_slider(key="so_lr").set_value(1e-3).run()
    at.number_input(key="so_seed").set_value(3).run()
    state = at.session_state["so_state"]
    assert state == TradeoffState(data="toy", arch="kl", latents=128, rho=0.1, beta=50.0, lr=1e-3, seed=3)
    fresh = reopen(at, "sparsity")
    assert not fresh.exception and fresh.session_state["so_state"] == state
    snap = live_entry(fresh, "tradeoff_controller").snapshot()
    assert (snap.arch, snap.latents, snap.hp.rho, snap.hp.beta, snap.hp.lr) == ("kl", 128, 0.1, 50.0, 1e-3)


def test_train_state_survives_its_link():
    at = on_page("train").run()
    at.number_input(key="tr_toy_features").set_value(32).run()
    at.slider(key="tr_toy_noise").set_value(0.1).run()
    at.selectbox(key="tr_arch").set_value("topk").run()
    at.select_slider(key="tr_k").set_value(8).run()
    at.number_input(key="tr_latents").set_value(96).run()
    at.number_input(key="tr_epochs").set_value(12.0).run()
    at.selectbox(key="tr_batch").set_value(512).run()
    at.number_input(key="tr_seed").set_value(5).run()
    state = at.session_state["tr_state"]
    assert state == TrainState(toy_features=32, toy_noise=0.1, arch="topk", k=8, latents=96, epochs=12.0, batch=512,
                               seed=5)
    fresh = reopen(at, "train")
    assert not fresh.exception and fresh.session_state["tr_state"] == state
    assert fresh.number_input(key="tr_latents").value == 96 and fresh.select_slider(key="tr_k").value == 8


def test_explorer_state_survives_its_link():
    at = on_page("features").run()
    at.button(key="fx_quick").click().run()
    at.selectbox(key="fx_sort").set_value("max").run()
    at.toggle(key="fx_hide_dead").set_value(True).run()
    at.slider(key="fx_density_range").set_value((-4.0, -0.5)).run()
    at.number_input(key="fx_latent").set_value(9).run()
    state = at.session_state["fx_state"]
    assert state == ExplorerState(sort="max", density_low=-4.0, density_high=-0.5, hide_dead=True, latent=9)
    fresh = reopen(at, "features")
    assert not fresh.exception and fresh.session_state["fx_state"] == state


def test_frontier_state_survives_its_link():
    at = on_page("frontier").run()
    at.radio(key="fr_data").set_value("digits").run()
    at.radio(key="fr_measure").set_value("fve").run()
    fresh = reopen(at, "frontier")
    assert fresh.session_state["fr_state"] == FrontierState(data="digits", measure="fve")
    assert fresh.radio(key="fr_data").value == "digits"


def test_kl_state_survives_its_link():
    at = on_page("kl_divergence").run()
    at.radio(key="kl_mode").set_value("discrete").run()
    at.radio(key="kl_units").set_value("bits").run()
    at.button(key="kl_preset_wide_narrow").click().run()
    state = at.session_state["kl_state"]
    assert state.mode == "discrete" and state.units == "bits" and state != KLState()
    fresh = reopen(at, "kl_divergence")
    assert fresh.session_state["kl_state"] == state


def test_norms_state_survives_its_link():
    at = on_page("norms").run()
    at.session_state["nm_vector"] = {"value": {"entries": [2.0, -1.5, 0.3, -2.4, -0.2, 1.0], "seq": 1}}  # a drag
    at.run()
    at.slider(key="nm_w2").set_value(-1.1).run()
    at.slider(key="nm_angle").set_value(35.0).run()
    at.slider(key="nm_radius").set_value(1.45).run()
    at.slider(key="nm_lam").set_value(0.75).run()
    at.radio(key="nm_shrink").set_value("relu").run()
    state = at.session_state["nm_state"]
    assert state == NormsState(entries=(2.0, -1.5, 0.3, -2.4, -0.2, 1.0), w2=-1.1, angle=35.0, radius=1.45, lam=0.75,
                               shrink="relu")
    fresh = reopen(at, "norms")
    assert not fresh.exception and fresh.session_state["nm_state"] == state
    assert fresh.slider(key="nm_lam").value == 0.75


@pytest.mark.parametrize("page,key,params,field", [
    ("sparsity", "so_state", {"arch": "transformer", "l1": "5"}, "arch"),
    ("train", "tr_state", {"latents": "-3", "arch": "jumprelu"}, "latents"),
    ("features", "fx_state", {"sort": "<script>", "latent": "4"}, "sort"),
    ("frontier", "fr_state", {"data": "imagenet", "y": "fve"}, "data"),
    ("norms", "nm_state", {"lam": "0.123", "w1": "-1"}, "lam"),
])
def test_a_tampered_field_is_reported_and_the_rest_still_applies(page, key, params, field):
    at = on_page(page)
    for param, value in params.items():
        at.query_params[param] = value
    at.run()
    assert not at.exception
    assert any(f"'{field}'" in w.value for w in at.warning), [w.value for w in at.warning]
    state = at.session_state[key]
    good = next(k for k in params if k != field)
    assert codec.to_query(state)[good] == params[good]
    assert codec.to_query(state)[field] == codec.to_query(type(state)())[field]


def test_a_stale_url_echo_does_not_undo_a_move_but_back_does():
    at = on_page("sparsity").run()
    at.button(key="so_play").click().run()  # a live page: its timer's requests overlap with moves
    before = dict(at.query_params)
    at.select_slider(key="so_l1").set_value(5.0).run()
    after = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert after["l1"] == "5"
    # A request sent before the browser had the new URL carries the old one: an echo, not a Back.
    for key, value in before.items():
        at.query_params[key] = value[0] if isinstance(value, list) else value
    at.run()
    assert at.session_state["so_state"].l1 == 5.0
    # The browser confirms the new URL; going Back to the old one afterwards is a real navigation.
    for key, value in after.items():
        at.query_params[key] = value
    at.run()
    for key, value in before.items():
        at.query_params[key] = value[0] if isinstance(value, list) else value
    at.run()
    assert at.session_state["so_state"].l1 == 1.0
    at.button(key="so_play").click().run()  # Pause


def _move(at, key: str, field: str, value) -> None:
    """Move a widget, or the slider `field` of the interactive figure `key` (features: options 3–8)."""
    if key != "sp_figure":
        at.slider(key=key).set_value(value).run()
        return
    _move.seq = getattr(_move, "seq", 0) + 1
    at.session_state[key] = {"value": {"slider": field, "index": value - 3, "indices": {field: value - 3},
                                       "seq": _move.seq}}
    at.run()


@pytest.mark.parametrize("page_name,key,values,field", [
    ("kl_divergence", "kl_sep", (2.0, 3.0), "separation"),
    ("kl_loss", "kll_mu0", (2.0, 3.0), "mu0"),
    ("superposition", "sp_figure", (6, 7), "features"),
])
def test_quick_moves_on_a_page_without_a_timer_are_not_undone_by_a_stale_url(page_name, key, values, field):
    at = on_page(page_name).run()
    first = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    _move(at, key, field, values[0])
    for k, v in first.items():
        at.query_params[k] = v  # the browser had not yet seen the first move's URL when it sent the second
    _move(at, key, field, values[1])
    assert getattr(at.session_state[f"{key.split('_')[0]}_state"], field) == values[1]
    moved = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert moved != first
    for k, v in first.items():
        at.query_params[k] = v  # a real Back carries no move
    at.run()
    assert {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()} == first
