"""A talk's URL: strict parsing, stepping through with → and ←, and jumping by number."""

from app_core.talk import FRAME_PARAMS, SCENES, parse_talk, scene_named, scene_query, scenes_of, talk_text
from app_core.talk.talk import MAX_SCENES, SEPARATOR, talk_for


def test_a_talk_round_trips_through_its_url_text():
    chosen = (scene_named("kl-identical"), scene_named("so-too-much-l1"), scene_named("start"))
    scenes, problems = parse_talk(talk_text(chosen))
    assert scenes == chosen and problems == []


def test_unknown_scenes_are_named_and_left_out_and_nothing_else_changes():
    scenes, problems = parse_talk(f"kl-identical{SEPARATOR}<script>{SEPARATOR}{SEPARATOR}kl-disjoint")
    assert [s.slug for s in scenes] == ["kl-identical", "kl-disjoint"]
    assert len(problems) == 1 and "<script>" in problems[0]


def test_many_unknown_names_make_one_short_message():
    scenes, problems = parse_talk(SEPARATOR.join(f"nope{i}" for i in range(10_000)) + SEPARATOR + "kl-disjoint")
    assert [s.slug for s in scenes] == ["kl-disjoint"]
    assert len(problems) == 1 and "9995 more" in problems[0] and len(problems[0]) < 400


def test_a_huge_talk_is_cut_with_a_message():
    scenes, problems = parse_talk(SEPARATOR.join(["kl-identical"] * (MAX_SCENES + 50)))
    assert len(scenes) == MAX_SCENES and problems


def test_arrows_walk_a_talk_across_pages_and_stop_at_its_ends():
    talk, _ = talk_for("kl_divergence", "kl-disjoint~sp-pentagon~tr-topk")
    assert talk.explicit
    assert talk.step(None, 1).slug == "kl-disjoint"  # from outside the talk, → starts it
    assert talk.step("kl-disjoint", 1).slug == "sp-pentagon"
    assert talk.step("sp-pentagon", -1).slug == "kl-disjoint"
    assert talk.step("tr-topk", 1) is None and talk.step("kl-disjoint", -1) is None
    assert talk.number(3).slug == "tr-topk" and talk.number(4) is None and talk.number(0) is None


def test_without_a_talk_the_arrows_walk_the_page_own_scenes():
    talk, problems = talk_for("superposition", None)
    assert not talk.explicit and talk.scenes == scenes_of("superposition") and problems == []
    talk, problems = talk_for("superposition", "nonsense")
    assert talk.scenes == scenes_of("superposition") and problems


def test_a_scene_url_carries_its_state_and_the_frame():
    talk, _ = talk_for("", "kl-identical~kl-disjoint")
    query = scene_query(scene_named("kl-disjoint"), talk)
    assert query["p"] == "uniform,-3,0.5" and query["present"] == "1" and query["scene"] == "kl-disjoint"
    assert query["talk"] == "kl-identical~kl-disjoint"
    assert set(FRAME_PARAMS) <= set(query)
    own, _ = talk_for("kl_divergence", None)
    assert "talk" not in scene_query(scene_named("kl-disjoint"), own)


def test_scene_slugs_are_url_safe_and_unique():
    slugs = [s.slug for s in SCENES]
    assert len(set(slugs)) == len(slugs)
    assert all(set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-") for slug in slugs)


def test_on_the_home_page_without_a_talk_the_arrows_walk_the_default_talk():
    from app_core.talk.scenes import DEFAULT_TALK

    talk, problems = talk_for("", None)
    assert talk.scenes == DEFAULT_TALK and talk.explicit and problems == []
    assert talk.step("start", 1).slug == DEFAULT_TALK[1].slug
    assert "talk" in scene_query(talk.step("start", 1), talk)  # → crosses pages carrying the talk
    assert talk.number(12).slug == DEFAULT_TALK[11].slug  # two-digit scene numbers reach past 9
