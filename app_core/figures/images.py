"""Tile many small images (dictionary atoms, inputs, reconstructions) into one RGB picture."""

from __future__ import annotations

import numpy as np

# Diverging blue–white–red for signed atoms (negative blue, positive red), greys for inputs.
_NEG = np.array([33, 102, 172], dtype=np.float64)
_POS = np.array([178, 24, 43], dtype=np.float64)
_WHITE = np.array([247, 247, 247], dtype=np.float64)


def _signed_rgb(v: np.ndarray) -> np.ndarray:
    """v in [−1, 1] → RGB via white at 0."""
    v = np.clip(v, -1, 1)[..., None]
    return np.where(v >= 0, _WHITE + (_POS - _WHITE) * v, _WHITE + (_NEG - _WHITE) * (-v))


def tile(images: np.ndarray, shape: tuple[int, int], cols: int, signed: bool = False, pad: int = 2,
         zoom: int = 1, per_image: bool = True) -> np.ndarray:
    """images [n, h·w] → uint8 RGB [H, W, 3] grid with `cols` columns and white padding.

    signed: each image scaled by its max |value| and drawn blue–white–red; otherwise values are
    clipped to [0, 1] (per_image=False) or stretched to each image's own range, in grey.
    """
    images = np.asarray(images, dtype=np.float64)
    n = len(images)
    h, w = shape
    rows = max(1, -(-n // cols))
    canvas = np.full((rows * (h + pad) + pad, cols * (w + pad) + pad, 3), 255.0)
    for i, img in enumerate(images.reshape(n, h, w)):
        if signed:
            m = np.abs(img).max()
            rgb = _signed_rgb(img / m if m > 0 else img)
        else:
            if per_image:
                lo, hi = img.min(), img.max()
                img = (img - lo) / (hi - lo) if hi > lo else np.zeros_like(img)
            g = 255.0 * (1.0 - np.clip(img, 0, 1))  # ink is dark, paper is white
            rgb = np.repeat(g[..., None], 3, axis=2)
        r, c = divmod(i, cols)
        y, x = pad + r * (h + pad), pad + c * (w + pad)
        canvas[y:y + h, x:x + w] = rgb
    out = canvas.astype(np.uint8)
    if zoom > 1:
        out = out.repeat(zoom, axis=0).repeat(zoom, axis=1)
    return out


def png_bytes(rgb: np.ndarray, compress_level: int = 6) -> bytes:
    """An RGB picture [H, W, 3] (uint8, as `tile` returns) encoded as PNG (zlib's `compress_level`, 0–9)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb, dtype=np.uint8), mode="RGB").save(buffer, format="PNG", optimize=False,
                                                                                 compress_level=compress_level)
    return buffer.getvalue()


def png_data_uri(rgb: np.ndarray) -> str:
    """An RGB picture [H, W, 3] (uint8, as `tile` returns) as a `data:image/png;base64,…` URI.

    For pictures a live page redraws every second: zlib's fastest level, which for the reconstructions' tile
    took 1.5 ms against 3.9 ms at the default, for a file no bigger (these pictures are small)."""
    import base64

    return "data:image/png;base64," + base64.b64encode(png_bytes(rgb, compress_level=1)).decode("ascii")
