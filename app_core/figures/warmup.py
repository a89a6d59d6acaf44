"""Pay the drawing libraries' first-use costs before a visitor does.

A live page's first redraw on a fresh server took 0.4–0.8 s against ~0.1 s after (measured on 2 cores): the
first PNG encoded (0.11 s) and the first Plotly heatmap built (0.09 s) load their code on first use, and that
redraw was also the first picture of training a visitor waits for after Play. Encoding one small PNG and
building one small heatmap ahead, on the server's warm-up thread, moves those costs off that wait.
"""

from __future__ import annotations

import numpy as np

from app_core.figures.autoencoder_figures import code_heatmap
from app_core.figures.images import png_data_uri, tile


def warm_up_drawing() -> None:
    """Draw and encode one tiny tile and one tiny code heatmap, as the live pages do, and discard them."""
    pictures = np.zeros((2, 4), dtype=np.float32)
    png_data_uri(tile(list(pictures), (2, 2), cols=2, per_image=False))
    code_heatmap(pictures, ["a", "b"], "warm-up").to_json()
