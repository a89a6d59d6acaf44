"""Build a talk: every scene listed, the default talk to start from, picks and their order in the talk's URL."""

from app_core.talk import SCENES
from app_core.talk.scenes import DEFAULT_TALK

from .conftest import on_page


def _talk_link(at) -> str:
    return next(b.proto.url for b in at.get("link_button"))


def test_the_page_lists_every_scene_and_starts_from_the_default_talk():
    at = on_page("talks").run()
    assert not at.exception
    assert at.multiselect(key="tk_scenes").value == [s.slug for s in DEFAULT_TALK]
    table = at.dataframe[0].value
    assert list(table["question"]) == [s.prompt for s in SCENES]
    assert "talk=" + "~".join(s.slug for s in DEFAULT_TALK) in _talk_link(at) and "present=1" in _talk_link(at)


def test_picks_in_their_order_make_the_talk_and_its_url():
    at = on_page("talks").run()
    at.multiselect(key="tk_scenes").set_value(["sp-pentagon", "kl-disjoint"]).run()
    assert "talk=sp-pentagon~kl-disjoint" in _talk_link(at)
    assert at.query_params["talk"] in ("sp-pentagon~kl-disjoint", ["sp-pentagon~kl-disjoint"])
    assert "sp-pentagon~kl-disjoint" in at.code[0].value
    table = at.dataframe[0].value
    placed = dict(zip(table["scene"], table["in your talk"]))
    assert placed["Sparse enough for a pentagon"] == 1 and placed["Disjoint supports"] == 2


def test_a_talk_link_is_read_strictly_and_an_empty_talk_says_what_to_do():
    at = on_page("talks")
    at.query_params["talk"] = "kl-identical~<no-such>"
    at.run()
    assert at.multiselect(key="tk_scenes").value == ["kl-identical"]
    assert any("<no-such>" in w.value for w in at.warning)
    at.multiselect(key="tk_scenes").set_value([]).run()
    assert not at.get("link_button") and "Pick at least one scene" in at.info[0].value
