"""The app's core without Streamlit: live training jobs and their scheduler, page states and their URL codec, the
talk and its scenes, figures, the browser components' wire formats and the frontier's store and worker.

The science it serves is `sae_core`, which never imports this package (tests/sae_core/test_boundary.py)."""
