"""The browser tab's icon, as Streamlit should be given it; read once per process, not on every run."""

from __future__ import annotations

import base64
from pathlib import Path

# A data URL, which Streamlit passes through as it is (an image file is decoded, re-encoded as a JPEG and stored
# in the media manager on every run). ASCII, so Streamlit does not load its emoji catalog to test it (BENCHMARKS.md).
# app.py sets it before the pages: without an icon the frontend shows the page's Material icon, fetched from Google's
# fonts (offline: a console error).
ICON_FILE = Path(__file__).resolve().parents[1] / "assets" / "favicon.png"
TAB_ICON = "data:image/png;base64," + base64.b64encode(ICON_FILE.read_bytes()).decode("ascii")
