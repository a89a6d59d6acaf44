"""Compute one built-in dataset's frontier in a process of its own:
`python -m app_core.frontier_child KEY DIR [--runs-only]`.

The server's frontier worker starts it (`FrontierWorker(in_child=True)`): a process has its own interpreter lock,
so the sweep uses a core the server's Python, held to one core by its lock, leaves idle, instead of taking turns
on the visitors' one. It runs at a low priority on one torch thread, writes its progress and result to the
store in DIR as the worker would, and stops at its next stretch if the server that started it has gone. The SAE
runs' points are saved as a partial frontier before dictionary learning starts (on the toy data it took four times
as long as the sixteen runs), so the page shows them while the baseline is computed; with `--runs-only` it stops
there (the worker has every dataset's runs done before any dictionary), and a later process adds the baseline to them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    key, directory, runs_only = argv[0], Path(argv[1]), "--runs-only" in argv[2:]
    parent = os.getppid()
    try:
        os.setpriority(os.PRIO_PROCESS, 0, _nice())
    except (OSError, AttributeError):
        pass  # not allowed here: the normal priority
    import torch

    torch.set_num_threads(1)  # one core: the server keeps the others
    from sae_core.data import load_dataset
    from sae_core.training.frontier import _dictionary_points, compute_frontier, planned_runs
    from app_core.frontier_store import SETUPS, FrontierStore

    def orphaned() -> None:
        if os.getppid() != parent:  # the server has gone: its lock on this frontier went with it
            raise SystemExit(3)

    store = FrontierStore(directory)
    latents, epochs = SETUPS[key]
    total = planned_runs()

    def progress(done: int, _runs: int, what: str) -> None:
        store.report(key, done, total, what)

    data = load_dataset(key)
    # As compute_frontier(include_dictionary=True) does, in two steps, with the runs' points saved in between.
    points = store.load(key, partial=True)  # the runs, when an earlier process has done them
    if points is None:
        points = compute_frontier(data, latents, epochs, include_dictionary=False, pause=orphaned, progress=progress)
        store.save(key, points, partial=True)
    if runs_only:
        progress(total - 1, total, "dictionary learning next, after the other datasets' SAE runs")
        return 0
    progress(total - 1, total, "scikit-learn dictionary learning")
    points = points + _dictionary_points(data.x, latents, 0)
    orphaned()
    store.save(key, points)
    progress(total, total, "done")
    return 0


def _nice() -> int:
    from app_core.frontier_worker import NICE

    return NICE


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
