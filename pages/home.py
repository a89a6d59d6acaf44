"""Start here: what a sparse autoencoder is, and where each page of the playground takes you."""

import streamlit as st

from components.router_guard import ensure_router

ensure_router()

st.title("SAE Playground")
st.markdown(
    """
A **sparse autoencoder (SAE)** rewrites each input as a *few* active features out of many.
It has two halves:

- an **encoder** that maps an input **x** to latent activations **f = ReLU(W_enc·x + b_enc)**, and
- a **decoder** that rebuilds the input as a weighted sum of dictionary atoms, **x̂ = W_dec·f + b_dec**.

A *bottleneck* autoencoder squeezes data through fewer latents than inputs. A *sparse* one does the
opposite: it has **more** latents than inputs (overcomplete) but lets only a handful fire for any one
input. A penalty keeps it honest: the **L1 norm** of the activations, or a **KL divergence** between
each latent's firing rate and a small target ρ. Sparsity and reconstruction pull against each other,
and every page here lets you feel that trade-off with your own hands.
"""
)

st.subheader("Where to go")
DESTINATIONS = [
    ("pages/kl_divergence.py", "KL vs Jensen–Shannon", ":material/compare_arrows:",
     "Drag two distributions and watch KL(P‖Q), KL(Q‖P) and JS change: asymmetry, infinities, and the ln 2 ceiling."),
    ("pages/sparsity.py", "Sparsity trade-off", ":material/tune:",
     "Train an SAE live and move the L1 or KL sliders while it learns: sparsity against reconstruction."),
    ("pages/train.py", "Train an SAE", ":material/model_training:",
     "Toy data with known features, MNIST, 8×8 digits or your own array; five architectures; download the model."),
    ("pages/features.py", "Feature explorer", ":material/travel_explore:",
     "Every latent's dictionary atom, how often it fires, and the inputs that excite it most."),
    ("pages/frontier.py", "Frontier", ":material/show_chart:",
     "L0 against MSE for ReLU, KL, TopK and JumpReLU SAEs, and classical dictionary learning."),
]
for path, label, icon, text in DESTINATIONS:
    st.page_link(path, label=label, icon=icon)
    st.caption(text)
