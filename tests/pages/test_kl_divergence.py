import math

import pytest

from app_core.state import codec
from app_core import readout
from app_core.state import kl as kv
from sae_core.divergence import Density, js_divergence, kl_divergence

from .conftest import on_page


@pytest.fixture
def app():
    return on_page("kl_divergence")


def shown(at) -> dict[str, str]:
    return {m.label.split(" ·")[0]: m.value for m in at.metric}


def expected(state: kv.KLState) -> dict[str, str]:
    d = readout.divergences(state)
    fmt = lambda v: "∞" if math.isinf(v) else f"{v:.3f}"  # noqa: E731
    return {"KL(P‖Q)": fmt(d.kl_pq), "KL(Q‖P)": fmt(d.kl_qp), "JS": fmt(d.js)}


def run_page(app, **params):
    for k, v in params.items():
        app.query_params[k] = v
    return app.run()


def test_default_view_shows_sae_core_numbers_and_writes_url(app):
    at = run_page(app)
    assert not at.exception
    assert shown(at) == expected(kv.KLState())
    assert at.query_params["p"] == ["gaussian,-1,1"] or at.query_params["p"] == "gaussian,-1,1"
    assert any(c.proto.component_name.endswith("distribution_canvas") for c in at.get("bidi_component")), \
        "the drag canvas is mounted"
    assert at.get("plotly_chart"), "the separation sweep is drawn"


@pytest.mark.parametrize("mode", kv.MODES)
@pytest.mark.parametrize("preset", list(kv.PRESETS))
def test_each_preset_gives_the_numbers_sae_core_computes(app, mode, preset):
    at = run_page(app, mode=mode)
    at.button(key=f"kl_preset_{preset}").click().run()
    state = kv.apply_preset(kv.KLState(mode=mode), preset)
    assert shown(at) == expected(state)
    d = readout.divergences(state)
    infinite = math.isinf(d.kl_pq) or math.isinf(d.kl_qp)
    assert any("∞" in w.value for w in at.warning) == infinite


def test_fallback_sliders_move_the_distributions(app):
    at = run_page(app)
    at.slider(key="kl_p_loc").set_value(2.0).run()
    at.slider(key="kl_q_sd").set_value(0.5).run()
    at.selectbox(key="kl_q_family").set_value("laplace").run()
    state = kv.KLState(p=Density("gaussian", 2.0, 1.0), q=Density("laplace", 1.0, 0.5))
    assert shown(at) == expected(state)
    assert at.query_params["q"] in ("laplace,1,0.5", ["laplace,1,0.5"])


def test_units_switch_to_bits(app):
    at = run_page(app)
    nats = float(shown(at)["KL(P‖Q)"])
    at.radio(key="kl_units").set_value("bits").run()
    assert float(shown(at)["KL(P‖Q)"]) == pytest.approx(nats / math.log(2), abs=2e-3)
    assert "bits" in at.metric[0].label


def test_discrete_bar_slider_renormalises_the_rest(app):
    at = run_page(app, mode="discrete")
    at.slider(key="kl_qb_3").set_value(0.55).run()
    q = at.session_state["kl_state"].q_bars
    assert q[3] == pytest.approx(0.55, abs=1e-3) and sum(q) == pytest.approx(1.0, abs=1e-3)
    p = kv.KLState().p_bars
    assert shown(at)["KL(P‖Q)"] == f"{kl_divergence(p, q):.3f}"
    assert shown(at)["JS"] == f"{js_divergence(p, q):.3f}"
    # the other sliders now show the rescaled probabilities
    assert at.slider(key="kl_qb_0").value == pytest.approx(q[0], abs=1e-3)


def test_separation_slider_moves_both_centres_apart(app):
    at = run_page(app)
    at.slider(key="kl_sep").set_value(6.0).run()
    state = at.session_state["kl_state"]
    assert state.q.loc - state.p.loc == pytest.approx(6.0)
    assert shown(at) == expected(state)


def test_a_drag_from_the_canvas_updates_the_numbers(app):
    at = run_page(app)
    moved = {"mode": "continuous", "p": {"family": "gaussian", "loc": 2.5, "sd": 0.7},
             "q": {"family": "gaussian", "loc": 1.0, "sd": 1.5}, "pBars": list(kv.KLState().p_bars),
             "qBars": list(kv.KLState().q_bars), "seq": 1}
    at.session_state["kl_canvas"] = {"value": moved}
    at.run()
    state = kv.KLState(p=Density("gaussian", 2.5, 0.7))
    assert shown(at) == expected(state)


def test_tampered_url_gets_a_message_and_defaults(app):
    at = run_page(app, p="gaussian,NaN,1", mode="sideways")
    assert not at.exception
    messages = " ".join(w.value for w in at.warning)
    assert "'p'" in messages and "'mode'" in messages
    assert shown(at) == expected(kv.KLState())


def test_url_reproduces_a_view(app):
    state = kv.apply_preset(kv.KLState(units="bits"), "wide_narrow")
    at = run_page(app, **codec.to_query(state))
    assert shown(at) == expected(state)


def test_widgets_show_on_grid_values_after_an_off_grid_drag(app):
    # A slider given a value off its step grid snaps it and sends it back; re-setting it off-grid on
    # every run made the page rerun forever in the browser. Synced values must sit on the grid.
    at = run_page(app)
    value = {"mode": "continuous", "p": {"family": "gaussian", "loc": 0.4309, "sd": 1.0372},
             "q": {"family": "gaussian", "loc": 1.0, "sd": 1.5}, "pBars": [0.1234] + [0.0974] * 9,
             "qBars": list(kv.KLState().q_bars), "seq": 1}
    at.session_state["kl_canvas"] = {"value": value}
    at.run()
    assert at.session_state["kl_state"].p.loc == pytest.approx(0.4309)  # the state keeps full precision
    for key, step in (("kl_p_loc", 0.05), ("kl_p_sd", 0.05), ("kl_sep", 0.1)):
        shown = at.slider(key=key).value
        assert abs(shown / step - round(shown / step)) < 1e-6, (key, shown)


def canvas_value(p_loc: float, dragging: bool = False, seq: int = 1) -> dict:
    default = kv.KLState()
    return {"value": {"mode": "continuous", "p": {"family": "gaussian", "loc": p_loc, "sd": 1.0},
                      "q": {"family": "gaussian", "loc": 1.0, "sd": 1.5}, "pBars": list(default.p_bars),
                      "qBars": list(default.q_bars), "seq": seq, "dragging": dragging}}


def test_a_canvas_value_older_than_the_one_applied_or_unnumbered_changes_nothing(app):
    # The sequence protocol (app_core/wire/sequence.py): a resent or late value must not move P back.
    at = run_page(app)
    at.session_state["kl_canvas"] = canvas_value(3.0, seq=5)
    at.run()
    unnumbered = {"value": {**canvas_value(1.5)["value"], "seq": None}}
    for stale in (canvas_value(2.5, seq=4), canvas_value(2.0, seq=5), unnumbered):
        at.session_state["kl_canvas"] = stale
        at.run()
        assert at.session_state["kl_state"].p.loc == pytest.approx(3.0), stale
    assert _canvas_data(at)["appliedSeq"] == 5  # the echo the canvas waits for
    at.session_state["kl_canvas"] = canvas_value(2.0, seq=6)
    at.run()
    assert at.session_state["kl_state"].p.loc == pytest.approx(2.0) and _canvas_data(at)["appliedSeq"] == 6


def test_a_stale_slider_value_from_the_browser_does_not_drag_p_back(app):
    # While the canvas sends ten values a second, a rerun request can carry a slider value the page
    # wrote a run or two earlier. It must not count as the person moving that slider.
    at = run_page(app)
    at.session_state["kl_canvas"] = canvas_value(2.5, dragging=True, seq=1)
    at.run()
    at.session_state["kl_canvas"] = canvas_value(3.0, dragging=True, seq=2)
    at.run()
    at.slider(key="kl_p_loc").set_value(2.5).run()  # the browser had not yet seen the page write 3.0
    assert at.session_state["kl_state"].p.loc == pytest.approx(3.0)
    assert shown(at) == expected(kv.KLState(p=Density("gaussian", 3.0, 1.0)))


def test_a_slider_moved_back_to_an_earlier_value_is_still_a_move(app):
    at = run_page(app)
    at.slider(key="kl_p_loc").set_value(0.5).run()
    at.slider(key="kl_p_loc").set_value(-1.0).run()
    assert at.session_state["kl_state"].p.loc == pytest.approx(-1.0)


def test_the_url_is_written_on_release_not_during_a_drag(app):
    # Each URL change is a browser-history entry; ten a second would bury the Back button.
    at = run_page(app)
    before = at.query_params["p"]
    at.session_state["kl_canvas"] = canvas_value(2.5, dragging=True, seq=1)
    at.run()
    assert at.query_params["p"] == before
    assert shown(at) == expected(kv.KLState(p=Density("gaussian", 2.5, 1.0)))
    at.session_state["kl_canvas"] = canvas_value(2.5, dragging=False, seq=2)
    at.run()
    assert at.query_params["p"] in ("gaussian,2.5,1", ["gaussian,2.5,1"])


def test_back_and_forward_restore_the_view_in_the_url(app):
    at = run_page(app)
    at.slider(key="kl_p_loc").set_value(2.0).run()
    at.query_params["p"] = "gaussian,-1,1"  # Back: the browser shows the previous URL and reruns
    at.run()
    assert at.session_state["kl_state"].p.loc == pytest.approx(-1.0)
    assert shown(at) == expected(kv.KLState())


def test_arriving_from_another_page_keeps_the_view(app):
    at = run_page(app)
    at.slider(key="kl_p_loc").set_value(2.0).run()
    for k in list(at.query_params):
        del at.query_params[k]  # a sidebar link carries no parameters
    at.run()
    assert at.session_state["kl_state"].p.loc == pytest.approx(2.0)


def _canvas_data(at) -> dict:
    import json

    canvas = next(c for c in at.get("bidi_component") if c.proto.component_name.endswith("distribution_canvas"))
    return json.loads(canvas.proto.json)


def test_a_drag_sends_ten_positions_a_second_until_the_server_is_saturated_then_only_its_release(app):
    from app_core.live.redraw_pacing import shared_pacer

    pacer, crowd = shared_pacer(), [f"dragger-{i}" for i in range(200)]
    alone = _canvas_data(run_page(app))["sendMs"]
    assert alone == 100  # the suite gives each test a fresh pacer (tests/conftest.py)
    try:
        for page in crowd[:12]:  # twelve others dragging at 25 ms a run: 3 of one interpreter, 7.5 × its share
            for _ in range(2):  # a page's first redraw is not counted (app_core/live/redraw_pacing.py)
                pacer.record(page, 0.025, asks=0.1)
        assert _canvas_data(app.run())["sendMs"] == round(1000 * pacer.period(0.1)) > 100
        for page in crowd[12:]:
            for _ in range(2):
                pacer.record(page, 0.025, asks=0.1)
        assert pacer.saturated() and _canvas_data(app.run())["sendMs"] == 0
    finally:
        for page in crowd:
            pacer.forget(page)
