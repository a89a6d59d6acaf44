"""Matrix-product precision for training: fp32, or faster products where the hardware has them.

On CPUs with bf16 instructions — AMX tiles (Intel Sapphire Rapids and later) or AVX-512 BF16 (AMD Zen 4
and later, Intel Cooper Lake) — bf16 matrix products run 2–4× faster than fp32 ones, with fp32
accumulation: measured 439 vs 204 GFLOP/s on an AVX-512-BF16 EPYC, about 4× on AMX. Training steps then
run their forward pass under `torch.autocast` (bf16 products; losses, weights, gradients' accumulation
and Adam stay fp32); the ReLU SAE's hand-derived step (`models/relu_grad.py`) casts the same way
explicitly. Without such instructions bf16 is emulated and slower, and small matrices do not repay the
casts, so "auto" picks bf16 only where the CPU has them and the model is big enough. On CUDA, "auto"
picks bf16 where the device supports it and TF32 (fp32 storage, TF32 tensor-core products) otherwise on
Ampere or later. Evaluations and exports always run in full fp32. Autocast is per thread, so a page
evaluating while another thread trains is not affected.
"""

from __future__ import annotations

import contextlib

import torch

PRECISIONS = ("auto", "fp32", "bf16", "tf32")
# Below about this many weights per matrix (d_in·d_sae) casting to bf16 costs more than the faster products save
# (BENCHMARKS.md, "Why the constants are what they are").
MIN_WEIGHTS_FOR_BF16 = 2**17


def bf16_matmul_available() -> bool:
    """Whether this CPU multiplies bf16 matrices in hardware (AMX tiles or AVX-512 BF16)."""
    try:
        if not torch.backends.mkldnn.is_available():
            return False
        return bool(torch.cpu._is_amx_tile_supported() or torch.cpu._is_avx512_bf16_supported())
    except (AttributeError, RuntimeError):  # an older or different torch build: stay on fp32
        return False


def _cuda_choice(device: torch.device, weights: int) -> str:
    major, _ = torch.cuda.get_device_capability(device)
    if weights >= MIN_WEIGHTS_FOR_BF16 and torch.cuda.is_bf16_supported():
        return "bf16"
    return "tf32" if major >= 8 else "fp32"


def resolve(precision: str, device: torch.device, weights: int = MIN_WEIGHTS_FOR_BF16) -> str:
    """The precision to train in, "fp32", "bf16" or "tf32", for a model with `weights` = d_in·d_sae."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, got {precision!r}")
    if device.type == "cuda":
        return _cuda_choice(device, weights) if precision == "auto" else precision
    if device.type != "cpu" or precision == "tf32":
        return "fp32"  # TF32 is a CUDA tensor-core format; other devices keep full precision
    if precision == "auto":
        return "bf16" if weights >= MIN_WEIGHTS_FOR_BF16 and bf16_matmul_available() else "fp32"
    return precision


@contextlib.contextmanager
def _tf32_products():
    previous = torch.get_float32_matmul_precision()
    torch.set_float32_matmul_precision("high")  # TF32 tensor cores for fp32 products
    try:
        yield
    finally:
        torch.set_float32_matmul_precision(previous)


def autocast(precision: str, device_type: str = "cpu"):
    """The context a training step runs in."""
    if precision == "bf16":
        return torch.autocast(device_type, dtype=torch.bfloat16)
    if precision == "tf32":
        return _tf32_products()
    return contextlib.nullcontext()
