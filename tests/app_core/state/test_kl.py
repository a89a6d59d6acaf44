import math

import pytest

from app_core.state import codec
from app_core import readout
from app_core.wire import canvas_wire
from app_core.state import kl as kv
from sae_core.divergence import Density, gaussian_kl, js_divergence, kl_divergence


def test_query_round_trip_reproduces_the_state():
    state = kv.apply_preset(kv.KLState(mode="discrete", units="bits", shade="js"), "wide_narrow")
    parsed, problems = codec.from_query(kv.KLState, codec.to_query(state))
    assert problems == []
    assert parsed == state


@pytest.mark.parametrize("param,value", [
    ("mode", "sideways"), ("p", "gaussian,abc,1"), ("p", "gaussian,0"), ("q", "cauchy,0,1"),
    ("q", "gaussian,0,-1"), ("q", "gaussian,99,1"), ("pb", "1,2,3"), ("qb", "0,0,0,0,0,0,0,0,0,0"),
    ("pb", "nan,1,1,1,1,1,1,1,1,1"), ("units", "furlongs"),
])
def test_tampered_url_is_reported_and_falls_back_to_default(param, value):
    state, problems = codec.from_query(kv.KLState, {param: value})
    assert len(problems) == 1 and f"'{param}'" in problems[0]
    assert state == kv.KLState()


def test_valid_fields_survive_next_to_a_tampered_one():
    state, problems = codec.from_query(kv.KLState, {"mode": "discrete", "p": "bogus"})
    assert state.mode == "discrete" and len(problems) == 1


def test_set_probability_keeps_total_and_ratios():
    new = kv.set_probability([0.1, 0.2, 0.3, 0.4], 0, 0.5)
    assert sum(new) == pytest.approx(1.0, abs=1e-3)
    assert new[0] == pytest.approx(0.5)
    assert new[2] / new[1] == pytest.approx(1.5, rel=1e-3)
    spread = kv.set_probability([1.0, 0.0, 0.0], 0, 0.4)
    assert spread == pytest.approx((0.4, 0.3, 0.3))
    with pytest.raises(ValueError):
        kv.set_probability([0.5, 0.5], 5, 0.1)


def test_presets_give_the_promised_behaviour():
    base = kv.KLState()
    assert readout.divergences(kv.apply_preset(base, "identical")).kl_pq == pytest.approx(0, abs=1e-9)
    for mode in kv.MODES:
        disjoint = readout.divergences(kv.apply_preset(kv.KLState(mode=mode), "disjoint"))
        assert math.isinf(disjoint.kl_pq) and math.isinf(disjoint.kl_qp)
        assert disjoint.js == pytest.approx(math.log(2), abs=1e-6)
        wide = readout.divergences(kv.apply_preset(kv.KLState(mode=mode), "wide_narrow"))
        assert abs(wide.kl_pq - wide.kl_qp) > 0.2


def test_divergences_use_sae_core_numbers_in_chosen_units():
    state = kv.KLState(units="bits", p=Density("gaussian", 0, 1), q=Density("gaussian", 1, 2))
    assert readout.divergences(state).kl_pq == pytest.approx(gaussian_kl(0, 1, 1, 2) / math.log(2), rel=1e-6)
    d = kv.KLState(mode="discrete")
    assert readout.divergences(d).js == pytest.approx(js_divergence(d.p_bars, d.q_bars))
    assert readout.divergences(d).kl_qp == pytest.approx(kl_divergence(d.q_bars, d.p_bars))


def test_from_canvas_clamps_and_validates():
    value = {"mode": "continuous", "p": {"family": "laplace", "loc": 99, "sd": 0.01},
             "q": {"family": "gaussian", "loc": 0, "sd": 1}, "pBars": [1] * 10, "qBars": [2] * 10}
    state = canvas_wire.from_canvas(kv.KLState(), value)
    assert state.p == Density("laplace", kv.LOC_RANGE[1], kv.SD_RANGE[0])
    assert state.p_bars == (0.1,) * 10
    with pytest.raises(ValueError):
        canvas_wire.from_canvas(kv.KLState(), {"p": {}})
    with pytest.raises(ValueError):
        canvas_wire.from_canvas(kv.KLState(), {**value, "pBars": [1, 2]})


def test_infinity_reasons_name_the_outcomes_and_regions():
    disjoint = kv.apply_preset(kv.KLState(mode="discrete"), "disjoint")
    reasons = readout.infinity_reasons(disjoint)
    assert len(reasons) == 2 and "outcomes 0, 1, 2, 3, 4" in reasons[0]
    cont = readout.infinity_reasons(kv.apply_preset(kv.KLState(), "disjoint"))
    assert len(cont) == 2 and "density is 0" in cont[0]
    assert readout.infinity_reasons(kv.KLState()) == []


def test_the_canvas_arrow_keys_step_as_the_pages_sliders_do():
    # The page keeps its steps as literals (it imports no test-only module); read them from its source.
    import ast
    from pathlib import Path

    source = (Path(__file__).resolve().parents[3] / "pages" / "kl_divergence.py").read_text(encoding="utf-8")
    steps = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple):
            names = [t.id for t in node.targets[0].elts if isinstance(t, ast.Name)]
            if "LOC_STEP" in names:
                steps = dict(zip(names, ast.literal_eval(node.value)))
    assert steps, "pages/kl_divergence.py no longer names LOC_STEP, SD_STEP and BAR_STEP"
    assert canvas_wire.KEY_STEPS == {"loc": steps["LOC_STEP"], "sd": steps["SD_STEP"], "bar": steps["BAR_STEP"]}
    assert canvas_wire.to_canvas(kv.KLState())["steps"] == canvas_wire.KEY_STEPS


def test_the_canvas_is_given_its_ranges_from_the_state_not_its_own():
    ranges = canvas_wire.to_canvas(kv.KLState())["ranges"]
    assert ranges["loc"] == list(kv.LOC_RANGE) and ranges["sd"] == list(kv.SD_RANGE)
    lo, hi = ranges["x"]
    assert lo < kv.LOC_RANGE[0] and hi > kv.LOC_RANGE[1]  # a curve at either end of the means' range is drawn whole
