"""Talks: named scenes (a page's state plus a "predict, then reveal" prompt) and the URLs that chain them."""

from app_core.talk.scenes import SCENES, Scene, scene_named, scenes_of
from app_core.talk.talk import FRAME_PARAMS, PRESENT, SCENE, TALK, Talk, parse_talk, scene_query, talk_text

__all__ = ["SCENES", "Scene", "scene_named", "scenes_of", "FRAME_PARAMS", "PRESENT", "SCENE", "TALK", "Talk",
           "parse_talk", "scene_query", "talk_text"]
