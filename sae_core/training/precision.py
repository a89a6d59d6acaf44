"""Matrix-product precision for training: fp32, or bf16 products on CPUs built for them.

On CPUs with AMX tiles (Intel Sapphire Rapids and later) bf16 matrix products run about four times
faster than fp32 ones, with fp32 accumulation. Training steps then run their forward pass under
`torch.autocast` (bf16 products; losses, weights, gradients' accumulation and Adam stay fp32); the
ReLU SAE's hand-derived step (`models/relu_grad.py`) casts the same way explicitly. Elsewhere
bf16 would be emulated and slower, and small matrices do not repay the casts, so "auto" picks it only
where the hardware has it and the model is big enough. Evaluations and
exports always run in full fp32. Autocast is per thread, so a page evaluating while another thread
trains is not affected.
"""

from __future__ import annotations

import contextlib

import torch

PRECISIONS = ("auto", "fp32", "bf16")
# Below about this many weights per matrix (d_in·d_sae) casting to bf16 costs more than the faster products
# save: measured per step, 784×256 gains 18%, 784×1024 39%, while 32×64 and 64×128 lose ~35%.
MIN_WEIGHTS_FOR_BF16 = 2**17


def bf16_matmul_available() -> bool:
    try:
        return bool(torch.backends.mkldnn.is_available() and torch.cpu._is_amx_tile_supported())
    except (AttributeError, RuntimeError):  # an older or different torch build: stay on fp32
        return False


def resolve(precision: str, device: torch.device, weights: int = MIN_WEIGHTS_FOR_BF16) -> str:
    """The precision to train in, "fp32" or "bf16", for a model with `weights` = d_in·d_sae."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, got {precision!r}")
    if device.type != "cpu":
        return "fp32"  # bf16 here is a CPU measure; GPUs have their own fast paths
    if precision == "auto":
        return "bf16" if weights >= MIN_WEIGHTS_FOR_BF16 and bf16_matmul_available() else "fp32"
    return precision


def autocast(precision: str):
    """The context a training step's forward pass runs in."""
    if precision == "bf16":
        return torch.autocast("cpu", dtype=torch.bfloat16)
    return contextlib.nullcontext()
