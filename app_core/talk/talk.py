"""A talk: scenes across pages, in a URL (`?talk=kl-identical~kl-disjoint~so-too-much-l1`), advanced with →.

Three URL parameters belong to the frame, not to any page: `present` (presenter mode on), `talk` (the scene
list) and `scene` (the scene on screen). Page states ignore them; they ride along when a page writes its URL.
Parsing is strict in the project's way: an unknown scene is named in a message and left out, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from app_core.talk.scenes import DEFAULT_TALK, SCENES, Scene, scene_named, scenes_of

PRESENT, TALK, SCENE = "present", "talk", "scene"
FRAME_PARAMS = (PRESENT, TALK, SCENE)
SEPARATOR = "~"  # unreserved in URLs, so it stays readable in the address bar (a comma shows as %2C)
MAX_SCENES = 99
MAX_NAMED = 5  # unknown scene names quoted back in the message


@dataclass(frozen=True)
class Talk:
    """The scenes a presenter steps through: a talk's list, or else every scene of the page in view."""

    scenes: tuple[Scene, ...]
    explicit: bool  # from a `talk=` URL (→ may cross pages) rather than the page's own scenes

    def index(self, slug: str | None) -> int | None:
        slugs = [scene.slug for scene in self.scenes]
        return slugs.index(slug) if slug in slugs else None

    def step(self, slug: str | None, delta: int) -> Scene | None:
        """The scene `delta` places from `slug` (from before the first when `slug` is not in the talk);
        None past either end."""
        if not self.scenes:
            return None
        at = self.index(slug)
        target = (-1 if delta > 0 else len(self.scenes)) + delta if at is None else at + delta
        return self.scenes[target] if 0 <= target < len(self.scenes) else None

    def number(self, n: int) -> Scene | None:
        """Scene `n`, counted from 1 as the keys 1–9 do."""
        return self.scenes[n - 1] if 1 <= n <= len(self.scenes) else None


def parse_talk(text: str) -> tuple[tuple[Scene, ...], list[str]]:
    """The scenes a `talk=` value names, and a message for each name that is not a scene."""
    scenes, unknown, problems = [], [], []
    for name in (part.strip() for part in text.split(SEPARATOR)):
        if not name:
            continue
        scene = scene_named(name)
        if scene is None:
            unknown.append(name)
        elif len(scenes) >= MAX_SCENES:
            problems.append(f"A talk holds at most {MAX_SCENES} scenes; the rest were left out.")
            break
        else:
            scenes.append(scene)
    # One message however many names are wrong: a tampered link must not fill the page with warnings.
    if unknown:
        named = ", ".join(f"'{name[:40]}'" for name in unknown[:MAX_NAMED])
        more = f" and {len(unknown) - MAX_NAMED} more" if len(unknown) > MAX_NAMED else ""
        problems.insert(0, f"The talk names scenes that do not exist, left out: {named}{more}.")
    return tuple(scenes), problems


def talk_text(scenes) -> str:
    return SEPARATOR.join(scene.slug for scene in scenes)


def talk_for(page: str, talk_param: str | None) -> tuple[Talk, list[str]]:
    """The talk in force on `page`: the URL's list if it names any scene, else the page's own scenes — on the home
    page, the default talk, so → from the start walks the text's whole path."""
    problems: list[str] = []
    if talk_param:
        scenes, problems = parse_talk(talk_param)
        if scenes:
            return Talk(scenes, explicit=True), problems
    if page == "":
        return Talk(DEFAULT_TALK, explicit=True), problems
    return Talk(scenes_of(page), explicit=False), problems


def scene_query(scene: Scene, talk: Talk, present: bool = True) -> dict[str, str]:
    """The URL that shows `scene`: its page state, and the frame around it."""
    query = dict(scene.query)
    if present:
        query[PRESENT] = "1"
    if talk.explicit:
        query[TALK] = talk_text(talk.scenes)
    query[SCENE] = scene.slug
    return query


def all_scenes_talk() -> str:
    """Every scene in the app's order: a whole talk through the playground."""
    return talk_text(SCENES)
