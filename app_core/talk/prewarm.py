"""Train the runs that scenes resume, ahead of any visitor: a talk's first pass is as quick as its second.

A scene with `warm_steps` resumes a copy of a run trained that far (`RunCache`). The first visitor to a scene
would otherwise train it while the room waits (1.5–2 s on 2 cores, more while PyTorch loads), so a server
trains them all in the background from its start, under the same keys the pages' controllers look up.
"""

from __future__ import annotations

from typing import Callable

from app_core.state import codec
from app_core.talk.scenes import SCENES


def prewarm_scene_runs(cache, load_data: Callable, scenes=SCENES, pause: Callable[[], None] | None = None) -> list[str]:
    """Train every warm scene's run into `cache`; returns the slugs done. Only the Sparsity trade-off page's
    scenes train ahead today, and this builds their runs as that page does (`TradeoffState.run_setup`).
    `pause`, called before each run, may block (while visitors train)."""
    from app_core.live import RunCache
    from app_core.live.run import LiveRun  # torch: on the caller's (background) thread
    from app_core.state.tradeoff import TradeoffState

    done = []
    for scene in scenes:
        if not scene.warm_steps or scene.page != "sparsity":
            continue
        state, problems = codec.from_query(TradeoffState, scene.query)
        if problems:
            continue
        if pause:
            pause()
        data = load_data(state.data)
        setup = state.run_setup()
        job = LiveRun(data, setup.arch, setup.latents, state.hparams(data.kind), seed=setup.seed)
        cache.resume(RunCache.key(job, setup, scene.warm_steps), job, scene.warm_steps)
        done.append(scene.slug)
    return done
