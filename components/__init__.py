"""Custom Streamlit components (Custom Components v2, inline assets, no build step)."""
