"""The L0–MSE frontier of every SAE variant against classical dictionary learning."""

from __future__ import annotations

import streamlit as st

from components.figure_view import show_figure
from components.page_state import PageState
from components.streamlit_internals import ensure_router
from components.background_work import BACKGROUND_ENV, frontier_store, frontier_worker
from sae_core.data import BUILTIN, load_dataset
from sae_core.evaluation.metrics import HELP
from app_core.figures.sae_figures import frontier_figure
from app_core.state.frontier import DATASETS, MEASURES
from sae_core.training.frontier import compute_frontier, planned_runs
from app_core.frontier_store import SETUPS
from app_core.frontier_worker import describe_wait

STALE_SECONDS = 120  # a progress report this old was left by a process that has died

ensure_router()

page = PageState.of(__file__)
state = page.load()
store = frontier_store()
worker = frontier_worker()
WAIT_SECONDS = 1.0  # how often a visitor who arrived early looks for the finished frontier


def _chart(key: str, y: str, points) -> None:
    latents, epochs = SETUPS[key]
    show_figure(frontier_figure(points, y), "fr_chart")
    st.caption(f"{latents} latents, {epochs:g} epochs per SAE run; dictionary learning with {latents} atoms. "
               "Computed once on this server, in the background from its start, and kept on disk for every "
               "visitor and restart. The KL-sparsity SAE's sigmoid units are never exactly zero, so every latent "
               "takes part in every reconstruction and its L0 is the whole dictionary: its sparsity is only in "
               "low average firing rates. That is one reason L1, TopK and JumpReLU, which give exact zeros, "
               "replaced it.")
    st.dataframe([{"method": p.label, "setting": p.setting, "L0": round(p.l0, 2),
                   "MSE per dimension": round(p.mse, 5), "explained variance": round(p.fve, 4)} for p in points],
                 hide_index=True)
    st.caption(" ".join(HELP[name] for name in ("l0", "mse", "fve")))


def _compute_here(key: str) -> None:
    """Where the background worker is turned off: compute on request, in this session, for everyone."""
    st.info(f"This server does not compute frontiers in the background ({BACKGROUND_ENV}=0). Computing the "
            f"{BUILTIN[key]} frontier takes a minute or two; the result is kept on disk for every visitor.",
            icon=":material/info:")
    st.button("Compute the frontier", type="primary", key="fr_compute", icon=":material/show_chart:",
              on_click=lambda: st.session_state.update(fr_pending=key))
    if st.session_state.pop("fr_pending", None) != key:
        return
    bar = st.progress(0.0, text="Starting…")
    with store.computing(key) as mine:
        if not mine:
            st.info("Another visitor is computing this frontier right now; it will appear here when done.",
                    icon=":material/hourglass_top:")
            return
        latents, epochs = SETUPS[key]
        points = compute_frontier(load_dataset(key), latents, epochs,
                                  progress=lambda done, total, what: bar.progress(
                                      done / total, text=f"Run {min(done + 1, total)} of {total}: {what}"))
        store.save(key, points)
    st.rerun()


@st.fragment(run_every=WAIT_SECONDS)
def _waiting(key: str, partial: bool) -> None:
    """What the frontier waits for, with its progress, until it is on disk or its first points are (then the
    whole page redraws)."""
    if store.load(key) is not None or (not partial and store.load(key, partial=True) is not None):
        st.rerun()
    latents, epochs = SETUPS[key]
    if key in worker.errors:
        st.error(f"Computing this frontier failed: {worker.errors[key]}. Restart the server to try again; the "
                 "other datasets' frontiers are unaffected.", icon=":material/error:")
    else:
        fraction, text = describe_wait(key, store, worker, BUILTIN.get, STALE_SECONDS)
        st.progress(fraction, text=text)
    st.caption(f"{planned_runs()} trainings ({latents} latents, {epochs:g} epochs each), computed once on this "
               "server from its start and kept for every visitor: this page shows it as soon as it is done.")


st.title("Frontier")
st.markdown(
    "Every sparse autoencoder trades sparsity (L0, fewer is sparser) against reconstruction. Sweeping each "
    "variant's sparsity knob traces its **frontier**; lower and further left is better. Classical dictionary "
    "learning (scikit-learn, sparse codes found by orthogonal matching pursuit for every input) is the baseline."
)
page.warn_problems()
cols = st.columns([1.5, 1])
key = cols[0].radio("Data", DATASETS, format_func=BUILTIN.get, horizontal=True, **page.widget("data"))
y = cols[1].radio("Reconstruction measure", list(MEASURES), horizontal=True, format_func=MEASURES.get,
                  **page.widget("measure"))
page.publish()

points = store.load(key)
if points is not None:
    _chart(key, y, points)
elif worker is None:
    _compute_here(key)
else:
    first = store.load(key, partial=True)
    _waiting(key, first is not None)
    if first is not None:
        st.caption("The SAE runs are done and drawn below; scikit-learn's dictionary learning, the baseline, is "
                   "added when it is.")
        _chart(key, y, first)
