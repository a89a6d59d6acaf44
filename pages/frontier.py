"""The L0–MSE frontier of every SAE variant against classical dictionary learning."""

from __future__ import annotations

import streamlit as st

from components.page_state import PageState
from components.router_guard import ensure_router
from components.sae_session import frontier_store, shared_dataset
from sae_core.data import BUILTIN
from sae_core.evaluation.metrics import HELP
from sae_core.figures.sae_figures import frontier_figure
from sae_core.state.frontier import DATASETS, MEASURES, FrontierState
from sae_core.training.frontier import compute_frontier, planned_runs

ensure_router()

SETUPS = {  # dataset → (latents, epochs): small enough to sweep in well under a minute
    "toy": (64, 10.0),
    "digits": (64, 30.0),
    "mnist": (128, 8.0),
}
page = PageState("fr", FrontierState)
state = page.load()


def _compute(key: str) -> None:
    store = frontier_store()
    with store["lock"]:
        if key in store["busy"] or key in store["results"]:
            return
        store["busy"].add(key)
    latents, epochs = SETUPS[key]
    bar = st.progress(0.0, text="Starting…")
    try:
        points = compute_frontier(
            shared_dataset(key), latents, epochs,
            progress=lambda done, total, what: bar.progress(done / total, text=f"Run {min(done + 1, total)} of "
                                                                                f"{total}: {what}"),
        )
        store["results"][key] = points
    finally:
        store["busy"].discard(key)
    bar.empty()


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
latents, epochs = SETUPS[key]
page.publish()
store = frontier_store()

if key in store["results"]:
    points = store["results"][key]
    st.plotly_chart(frontier_figure(points, y), key="fr_chart")
    st.caption(f"{latents} latents, {epochs:g} epochs per SAE run; dictionary learning with {latents} atoms. "
               "Computed once on this server and shared by every visitor. The KL-sparsity SAE's sigmoid units are "
               "never exactly zero, so every latent takes part in every reconstruction and its L0 is the whole "
               "dictionary: its sparsity is only in low average firing rates. That is one reason L1, TopK and "
               "JumpReLU, which give exact zeros, replaced it.")
    st.dataframe([{"method": p.label, "setting": p.setting, "L0": round(p.l0, 2),
                   "MSE per dimension": round(p.mse, 5), "explained variance": round(p.fve, 4)} for p in points],
                  hide_index=True)
    st.caption(" ".join(HELP[name] for name in ("l0", "mse", "fve")))
elif key in store["busy"]:
    st.info("Another visitor is computing this frontier right now; it will appear here when done.",
            icon=":material/hourglass_top:")
    if st.button("Check again", key="fr_refresh"):
        st.rerun()
else:
    st.markdown(f"This runs {planned_runs()} trainings ({latents} latents, {epochs:g} epochs each) and takes "
                "about a minute on a small machine; the result is kept for everyone.")
    st.button("Compute the frontier", type="primary", key="fr_compute", icon=":material/show_chart:",
              on_click=lambda: st.session_state.update(fr_pending=key))
    if st.session_state.pop("fr_pending", None) == key:
        _compute(key)
        st.rerun()
