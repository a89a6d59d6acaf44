import json

import pytest

from components.slider_preview import NEIGHBOUR_FRAMES

from .conftest import on_page
from .previews import assert_frames_are_what_the_page_draws, preview


@pytest.fixture
def app():
    return on_page("kl_loss")


def metric(at, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def chart(at, key: str):
    return next(c for c in at.get("plotly_chart") if key in str(c.proto.id)).proto.spec


def finish(at):
    for _ in range(20):
        at.button(key="kll_step").click().run()
    assert metric(at, "Step") == "400 / 400"
    return float(metric(at, "Mean")), float(metric(at, "Sd"))


def test_forward_kl_settles_between_the_modes(app):
    at = app.run()
    assert not at.exception and metric(at, "Step") == "0 / 400"
    before = chart(at, "kll_landscape")
    mu, sigma = finish(at)
    assert abs(mu) < 0.05 and sigma == pytest.approx((0.7 ** 2 + 9) ** 0.5, abs=0.05)  # P's mean and sd
    assert chart(at, "kll_landscape") != before


@pytest.mark.parametrize("start,mode", [(1.0, 3.0), (-1.0, -3.0)])
def test_reverse_kl_locks_onto_the_mode_it_starts_near(app, start, mode):
    at = app.run()
    at.radio(key="kll_direction").set_value("reverse").run()
    at.slider(key="kll_mu0").set_value(start).run()
    assert at.query_params["dir"] == "reverse" and float(at.query_params["mu0"]) == start
    mu, sigma = finish(at)
    assert mu == pytest.approx(mode, abs=0.05) and sigma == pytest.approx(0.7, abs=0.05)


def test_moving_the_start_restarts_the_fit_and_redraws(app):
    at = app.run()
    at.button(key="kll_step").click().run()
    assert metric(at, "Step") == "20 / 400"
    densities = chart(at, "kll_densities")
    at.slider(key="kll_sigma0").set_value(2.5).run()
    assert metric(at, "Step") == "0 / 400" and metric(at, "Sd") == "2.500"
    assert chart(at, "kll_densities") != densities


def test_a_tampered_link_keeps_the_rest_and_says_so():
    at = on_page("kl_loss")
    at.query_params.update({"dir": "js", "sep": "NaN", "mu0": "99"})
    at.run()
    assert not at.exception
    assert at.radio(key="kll_direction").value == "js" and at.slider(key="kll_separation").value == 6.0
    assert len(at.warning) >= 2


@pytest.mark.parametrize("slider", ["kll_mu0", "kll_sigma0"])
def test_the_start_sliders_frames_are_the_new_fits_the_page_draws_there(app, slider):
    at = app.run()
    values = assert_frames_are_what_the_page_draws(at, slider, lambda at, v: at.slider(key=slider).set_value(v).run())
    assert len(values) >= 3
    # After some steps the frames still start from what is on screen: a new fit's first picture.
    at = on_page("kl_loss").run()
    at.button(key="kll_step").click().run()
    assert_frames_are_what_the_page_draws(at, slider, lambda at, v: at.slider(key=slider).set_value(v).run(), 1)


def test_the_target_slider_moved_last_has_frames_of_the_new_fits_the_page_draws_there(app):
    at = app.run()
    assert preview(at, "kll_separation")["frames"]  # on arrival
    at.button(key="kll_step").click().run()  # part-way through a fit: a frame is a new fit on a new target
    at.slider(key="kll_width").set_value(0.8).run()
    data = preview(at, "kll_width")
    # Each frame patches both charts (P and its landscape, ~45 kB): the byte cap keeps the nearest first.
    assert [f["value"] for f in data["frames"][:2]] == [0.7, 0.9]
    assert len(preview(at, "kll_separation")["frames"]) == NEIGHBOUR_FRAMES  # no longer moved last: its neighbours
    assert_frames_are_what_the_page_draws(at, "kll_width", lambda at, v: at.slider(key="kll_width").set_value(v).run(),
                                          2)
    at.slider(key="kll_left").set_value(0.3).run()
    assert_frames_are_what_the_page_draws(at, "kll_left", lambda at, v: at.slider(key="kll_left").set_value(v).run(), 1)


def test_a_playing_fit_sends_no_frames(app):
    at = app.run()
    at.button(key="kll_play").click().run()
    assert preview(at, "kll_sigma0")["frames"] == [] and preview(at, "kll_mu0")["frames"] == []
    assert preview(at, "kll_separation")["frames"] == []
