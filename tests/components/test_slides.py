"""A scene's slide: which blocks presenter mode keeps, which it hides, and the default talk it walks."""

import pytest

from components.presenter import slide_css
from app_core.talk import SCENES, scene_named
from app_core.talk.scenes import DEFAULT_TALK, Scene


def test_a_slide_keeps_the_header_and_the_scene_elements_and_hides_the_rest():
    css = slide_css(scene_named("so-balanced"))
    kept = ".st-key-scene_header, .st-key-so_curves, .st-key-so_play"
    assert f":not(:is({kept}), :has({kept}))" in css  # top-level blocks holding none of them step aside
    assert ".st-key-so_cos" in css and "display: none" in css


def test_a_scene_without_elements_shows_the_whole_page_and_no_scene_no_rules():
    assert slide_css(Scene("x", "norms", "t", "p?", "r")) == ""
    assert slide_css(None) == ""


def test_every_scene_names_what_it_shows_and_its_first_element_is_a_figure_or_picture():
    for scene in SCENES:
        assert scene.shows, scene.slug
        assert not set(scene.shows) & set(scene.hides), scene.slug


def test_an_element_name_that_is_not_a_key_is_refused():
    with pytest.raises(ValueError):
        Scene("x", "norms", "t", "p?", "r", shows=("a}body{display:none",))


def test_the_default_talk_follows_the_text_from_autoencoder_to_kl_as_a_loss_and_a_live_sae():
    pages = [scene.page for scene in DEFAULT_TALK]
    order = ["autoencoders", "norms", "kl_divergence", "kl_loss", "superposition", "sparsity"]
    firsts = [pages.index(page) for page in order]
    assert firsts == sorted(firsts)
    assert "kl-overlap" in [scene.slug for scene in DEFAULT_TALK]
