"""SAE Playground: the router and the frame every page shares."""

import streamlit as st

from components.runtime_tuning import freeze_long_lived_objects

freeze_long_lived_objects()
st.set_page_config(page_title="SAE Playground", page_icon="assets/favicon.png", layout="wide")

pages = {
    "Start": [st.Page("pages/home.py", title="Start here", icon=":material/home:", default=True)],
    "Concepts": [
        st.Page("pages/autoencoders.py", title="Autoencoders", icon=":material/compress:"),
        st.Page("pages/kl_divergence.py", title="KL vs Jensen–Shannon", icon=":material/compare_arrows:"),
        st.Page("pages/norms.py", title="Sparsity and the L1 norm", icon=":material/grid_on:"),
        st.Page("pages/kl_loss.py", title="KL as a loss", icon=":material/trending_down:"),
        st.Page("pages/superposition.py", title="Superposition", icon=":material/hub:"),
    ],
    "Sparse autoencoders": [
        st.Page("pages/sparsity.py", title="Sparsity trade-off", icon=":material/tune:"),
        st.Page("pages/train.py", title="Train an SAE", icon=":material/model_training:"),
        st.Page("pages/features.py", title="Feature explorer", icon=":material/travel_explore:"),
        st.Page("pages/frontier.py", title="Frontier", icon=":material/show_chart:"),
    ],
}
navigation = st.navigation(pages, position="sidebar")
st.sidebar.caption("SAE Playground — learn sparse autoencoders by doing them.")
navigation.run()
