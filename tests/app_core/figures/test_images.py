import base64
import io

import numpy as np
from PIL import Image

from app_core.figures.images import png_data_uri, tile


def test_a_tile_travels_as_a_png_data_uri_that_decodes_to_the_same_pixels():
    rgb = tile(np.random.default_rng(0).random((6, 64)), (8, 8), cols=3, zoom=2)
    uri = png_data_uri(rgb)
    assert uri.startswith("data:image/png;base64,")
    decoded = np.asarray(Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGB"))
    np.testing.assert_array_equal(decoded, rgb)
