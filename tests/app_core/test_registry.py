"""The page registry: every page declared once, and everything that lists pages finds them there."""

from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from app_core.registry import PAGES, page_at, page_of_file, stated_pages
from app_core.state import codec
from app_core.talk import FRAME_PARAMS, SCENES, Scene
from app_core.talk.prewarm import prewarm_scene_runs

ROOT = Path(__file__).resolve().parents[2]


def test_every_page_file_is_registered_once_and_exists():
    files = sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py") if not p.name.startswith("_"))
    assert sorted(page.path for page in PAGES) == files
    assert page_of_file(str(ROOT / "pages" / "sparsity.py")).prefix == "so"  # a page finds itself by __file__


def test_every_state_class_is_a_url_state_and_its_prefix_is_its_own():
    for url_path, cls in stated_pages().items():
        assert codec.to_query(cls()), f"{cls.__name__} has no URL fields"
        assert page_at(url_path).prefix


def test_every_scene_is_on_a_registered_page_whose_state_reads_it():
    for scene in SCENES:
        page = page_at(scene.page)
        assert page is not None, f"{scene.slug}: no page at {scene.page!r}"
        assert scene in page.scenes
        if scene.query:
            _, problems = codec.from_query(page.state_class(), scene.query)
            assert problems == [], scene.slug


def test_every_gallery_shot_opens_a_valid_state_under_a_unique_name():
    names = [shot.name for page in PAGES for shot in page.shots]
    assert len(names) == len(set(names)) and "home" in names
    for page in PAGES:
        for shot in page.shots:
            query = {k: v for k, v in parse_qsl(shot.query) if k not in FRAME_PARAMS}
            if query:
                _, problems = codec.from_query(page.state_class(), query)
                assert problems == [], shot.name


class _Recorder:
    """A run cache that notes what it is asked to train, and trains nothing."""

    def __init__(self):
        self.asked = []

    def resume(self, key, job, steps, progress=None):
        self.asked.append((key, type(job).__name__, steps))
        return job


def _load(name):
    from sae_core.data import load_dataset

    return load_dataset(name)


def test_every_warm_scene_is_prewarmed_by_its_pages_builder():
    warm = [scene for scene in SCENES if scene.warm_steps]
    assert warm, "no warm scene left to check"
    cache = _Recorder()
    assert prewarm_scene_runs(cache, _load) == [scene.slug for scene in warm]
    assert [steps for _, _, steps in cache.asked] == [scene.warm_steps for scene in warm]


@pytest.mark.parametrize("page", [page for page in PAGES if page.job], ids=lambda page: page.url_path)
def test_a_warm_scene_on_any_page_with_a_builder_is_prewarmed(page):
    scene = Scene("probe", page.url_path, "t", "q?", "a", dict(page.scenes[0].query) if page.scenes else {},
                  warm_steps=10)
    cache = _Recorder()
    assert prewarm_scene_runs(cache, _load, scenes=(scene,)) == ["probe"]
    (key, kind, steps), = cache.asked
    assert steps == 10 and key[0] == kind


def test_a_warm_scene_on_a_page_without_a_builder_is_refused_not_skipped():
    scene = Scene("probe", "norms", "t", "q?", "a", warm_steps=10)
    with pytest.raises(LookupError, match="no job builder"):
        prewarm_scene_runs(_Recorder(), _load, scenes=(scene,))


def test_pages_take_their_state_from_the_registry_not_by_hand():
    for page in PAGES:
        text = (ROOT / page.path).read_text(encoding="utf-8")
        assert "PageState(" not in text, f"{page.path} names its state's prefix and class again"
        assert ("PageState.of(__file__)" in text) == bool(page.state), page.path
