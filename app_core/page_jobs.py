"""How each training page makes its job for a state: the page calls these, and so does the scenes' prewarming.

A builder is `(state, load_data) -> (setup, make)`: the setup the page's controller is given, and a function
making the job at step 0 (called only when the controller needs a new one). `load_data(name)` gives a built-in
dataset (a job that makes its own data takes none). A run trained ahead is cached under (job kind, setup, knobs,
steps), so a page and its prewarmed scene find the same run only if both build through here. The registry names
each page's builder (`Page.job`).
"""

from __future__ import annotations

from typing import Callable

LoadData = Callable[[str], object]


def tradeoff_job(state, load_data: LoadData) -> tuple:
    """The Sparsity trade-off page's run, as `LiveController.reset` makes it from the page's setup and knobs."""
    from app_core.live.run import LiveRun  # torch: only where a run is made

    data = load_data(state.data)
    setup = state.run_setup()
    return setup, lambda: LiveRun(data, setup.arch, setup.latents, state.hparams(data.kind), seed=setup.seed)


def train_data_key(state) -> str:
    """The name the Train page gives its built-in data (toy data: with their settings, which make other data)."""
    return f"toy:{state.toy_config()}" if state.source == "toy" else state.source


def train_setup(state, data, data_key: str) -> tuple:
    """(setup, hyperparameters) of the Train page's run on `data`, named `data_key`: it stops after its epochs."""
    from app_core.live import RunSetup
    from sae_core.training.trainer import steps_for_epochs

    hp = state.hparams(data.kind)
    target = steps_for_epochs(len(data.x), hp.batch_size, state.epochs)
    return RunSetup(data_key, state.arch, state.latents, state.seed, target_steps=target), hp


def train_job(state, load_data: LoadData) -> tuple:
    """The Train page's run on built-in data (a folder or an upload is a visitor's own: no scene names one)."""
    from app_core.live.run import LiveRun

    if state.source not in ("toy", "mnist", "digits"):
        raise ValueError(f"no run is trained ahead on {state.source} data")
    if state.source == "toy":  # made from the state's own settings, not the shared default toy data
        from sae_core.data import load_dataset

        data = load_dataset("toy", toy=state.toy_config())
    else:
        data = load_data(state.source)
    setup, hp = train_setup(state, data, train_data_key(state))
    return setup, lambda: LiveRun(data, setup.arch, setup.latents, hp, seed=setup.seed)


def superposition_job(state, load_data: LoadData | None = None) -> tuple:
    """The toy model of superposition: its config is the setup (it makes its own data: no dataset)."""
    from app_core.live.superposition import ToyModelRun

    config = state.config()
    return config, lambda: ToyModelRun(config)


def kl_loss_job(state, load_data: LoadData | None = None) -> tuple:
    """The 1-D fit: P, the divergence's direction and the start are the setup (no dataset)."""
    from app_core.live.fit_live import FitRun

    target = state.target()
    return (target, state.direction, state.start), lambda: FitRun(target, state.direction, state.start)
