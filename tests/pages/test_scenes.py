"""Every scene loads without an exception and shows its title and question; presenter mode's frame and keys."""

import pytest

from components.presenter import PAGE_FILES
from app_core.talk import SCENES, scene_named
from app_core.talk.talk import talk_for, scene_query

from .conftest import on_page, APP
from streamlit.testing.v1 import AppTest


def _open(scene_slug: str, talk_param: str | None = None):
    scene = scene_named(scene_slug)
    talk, _ = talk_for(scene.page, talk_param)
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page(PAGE_FILES[scene.page])
    for key, value in scene_query(scene, talk).items():
        at.query_params[key] = value
    return at.run()


@pytest.mark.parametrize("slug", [s.slug for s in SCENES])
def test_every_scene_loads_without_an_exception_and_asks_its_question(slug):
    at = _open(slug)
    scene = scene_named(slug)
    assert not at.exception, at.exception
    assert scene.title in [t.value for t in at.title]
    assert any(scene.prompt in m.value for m in at.markdown)
    assert at.session_state["present_on"] is True
    assert at.query_params["scene"] == [slug] or at.query_params["scene"] == slug


def test_a_warm_scene_starts_from_its_trained_run_and_r_starts_it_over():
    at = _open("so-too-much-l1")
    steps = {m.label: m.value for m in at.metric}["Step"]
    assert steps == "1,500"
    at.button(key="so_step").click().run()
    assert {m.label: m.value for m in at.metric}["Step"] == "1,550"
    at.session_state["presenter_command"] = "reset"  # what R sends
    at.run()
    assert {m.label: m.value for m in at.metric}["Step"] == "1,500"  # R: the scene over, as it was defined


def test_next_and_previous_walk_the_page_scenes_and_stop_at_the_ends():
    at = _open("kl-identical")
    at.session_state["presenter_command"] = "previous"
    at.run()
    assert not at.exception and "Identical distributions" in [t.value for t in at.title]


def test_a_tampered_talk_or_scene_is_named_and_changes_nothing_else():
    at = on_page("kl_divergence")
    at.query_params["present"] = "1"
    at.query_params["talk"] = "kl-identical~no-such-scene"
    at.query_params["scene"] = "<img src=x>"
    at.run()
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "no-such-scene" in warnings and "There is no scene" in warnings
    assert "KL vs Jensen–Shannon" in [t.value for t in at.title]


def test_the_sidebar_toggle_turns_presenter_mode_on_and_off():
    at = on_page("norms").run()
    assert at.session_state["present_on"] is False
    at.toggle(key="presenter_toggle").set_value(True).run()
    assert at.query_params["present"] in ("1", ["1"]) and at.session_state["present_on"] is True
    at.toggle(key="presenter_toggle").set_value(False).run()
    assert "present" not in at.query_params and at.session_state["present_on"] is False
