"""Start here: what a sparse autoencoder is, and the path through the playground, in teaching order."""

import streamlit as st

from components.streamlit_internals import ensure_router
from components.presenter import presenting
from components.site_map import PATH

ensure_router()

st.title("SAE Playground")
st.markdown(
    """
A **sparse autoencoder (SAE)** rewrites each input as a *few* active features out of many. Its **encoder** maps an
input **x** to latent activations **f = ReLU(W_enc·x + b_enc)**; its **decoder** rebuilds the input as a weighted
sum of dictionary atoms, **x̂ = W_dec·f + b_dec**. A penalty — the **L1 norm** of f, or a **KL divergence**
between each latent's firing rate and a small target ρ — keeps the code sparse, and sparsity pulls against
reconstruction. Follow the path: each stop is something to touch.
"""
)

number = 0
per_row = 3 if presenting() else 2  # the start scene is one slide: three across keeps the whole path on screen
with st.container(key="home_path"):  # the start scene's slide
    for section, stops in PATH.items():
        st.subheader(section)
        for row in range(0, len(stops), per_row):  # a row at a time, so a phone's single column keeps the order
            for col, stop in zip(st.columns(per_row), stops[row:row + per_row]):
                number += 1
                with col.container(border=True):
                    st.page_link(stop.path, label=f"{number}. {stop.title}", icon=stop.icon)
                    st.caption(stop.blurb)
