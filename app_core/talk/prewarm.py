"""Train the runs that scenes resume, ahead of any visitor: a talk's first pass is as quick as its second.

A scene with `warm_steps` resumes a copy of a run trained that far (`RunCache`). The first visitor to a scene
would otherwise train it while the room waits (1.5–2 s on 2 cores, more while PyTorch loads), so a server
trains them all in the background from its start, under the keys the pages' controllers look up: each page's
job is made by the builder the registry names for it (app_core/page_jobs.py), which the page itself uses.
"""

from __future__ import annotations

from typing import Callable

from app_core.state import codec
from app_core.talk.scenes import SCENES


def prewarm_scene_runs(cache, load_data: Callable, scenes=SCENES, pause: Callable[[], None] | None = None) -> list[str]:
    """Train every warm scene's run into `cache`; returns the slugs done. `load_data(name)` gives a built-in
    dataset. `pause`, called before each run, may block (while visitors train). A warm scene on a page
    without a job builder raises LookupError: its warm steps would otherwise do nothing, unseen."""
    from app_core.live import RunCache
    from app_core.registry import page_at

    done = []
    for scene in scenes:
        if not scene.warm_steps:
            continue
        page = page_at(scene.page)
        if page is None:
            raise LookupError(f"scene {scene.slug}: no page at {scene.page!r}")
        build = page.job_builder()
        state, problems = codec.from_query(page.state_class(), scene.query)
        if problems:
            raise ValueError(f"scene {scene.slug}: {'; '.join(problems)}")
        if pause:
            pause()
        setup, make = build(state, load_data)
        job = make()
        cache.resume(RunCache.key(job, setup, scene.warm_steps), job, scene.warm_steps)
        done.append(scene.slug)
    return done
