"""Time SAELens 6.54.12's own training step; run inside .venv-saelens by bench/engine_bench.py.

    python bench/saelens_step.py ARCH BATCH D_IN D_SAE K STEPS REPEATS [DEVICE]

Prints one JSON line: {"ms_per_step": median over REPEATS rounds of STEPS steps}. A step is what SAELens'
trainer does per batch: `training_forward_pass` (encode, decode, MSE and the architecture's own loss),
backward, and Adam. DEVICE is "cpu" (the default) or "cuda".
"""

import json
import statistics
import sys
import time

import torch
from sae_lens.registry import get_sae_training_class
from sae_lens.saes.sae import TrainStepInput


def main() -> None:
    arch, (batch, d_in, d_sae, k, steps, repeats) = sys.argv[1], map(int, sys.argv[2:8])
    device = torch.device(sys.argv[8] if len(sys.argv) > 8 else "cpu")
    sae_cls, cfg_cls = get_sae_training_class(arch)
    cfg = cfg_cls(d_in=d_in, d_sae=d_sae, device=str(device), **({"k": k} if arch == "topk" else {}))
    sae = sae_cls(cfg).to(device)
    optim = torch.optim.Adam(sae.parameters(), lr=3e-4)
    x = torch.rand(4 * batch, d_in, device=device)
    coefficients = {name: (c.value if hasattr(c, "value") else c) for name, c in sae.get_coefficients().items()}
    dead = torch.zeros(d_sae, dtype=torch.bool, device=device)
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)

    def step(i: int) -> None:
        batch_x = x[(i % 4) * batch:(i % 4 + 1) * batch]
        out = sae.training_forward_pass(TrainStepInput(batch_x, coefficients, dead, i, False))
        optim.zero_grad()
        out.loss.backward()
        optim.step()

    for i in range(3):
        step(i)
    rounds = []
    for _ in range(repeats):
        sync()
        t = time.perf_counter()
        for i in range(steps):
            step(i)
        sync()
        rounds.append((time.perf_counter() - t) / steps * 1e3)
    print(json.dumps({"ms_per_step": statistics.median(rounds)}))


if __name__ == "__main__":
    main()
