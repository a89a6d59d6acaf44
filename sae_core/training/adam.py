"""Adam as `torch.optim.Adam(fused=True)` computes it, one `torch._fused_adam_` kernel per step, without
`torch.optim`: an optimiser's first use there imports `torch._dynamo`, which took 2.0 s on 2 cores (after 1.7 s
for `import torch` itself), all of it on the path of a fresh server's first Play.

Only what the trainer uses: one parameter group (`param_groups[0]["lr"]` and `["betas"]` may change between
steps), per-parameter `state` with `exp_avg`, `exp_avg_sq` and `step` created on a parameter's first step, no
weight decay, no AMSGrad. Tests hold it to torch's own fused Adam, step for step.
"""

from __future__ import annotations

from typing import Iterable

import torch


class FusedAdam:
    def __init__(self, params: Iterable[torch.Tensor], lr: float, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8):
        params = list(params)
        if not params:
            raise ValueError("FusedAdam needs at least one parameter")
        if len({(p.device, p.dtype) for p in params}) != 1:
            raise ValueError("FusedAdam takes parameters of one device and one floating dtype")
        self.param_groups = [{"params": params, "lr": lr, "betas": betas, "eps": eps}]
        self.state: dict[torch.Tensor, dict[str, torch.Tensor]] = {}

    @torch.no_grad()
    def step(self) -> None:
        group = self.param_groups[0]
        params = [p for p in group["params"] if p.grad is not None]
        if not params:
            return
        for p in params:
            if p not in self.state:
                # Where torch's fused Adam keeps them: the step count as a float32 scalar on the parameter's device.
                self.state[p] = {"step": torch.zeros((), dtype=torch.float32, device=p.device),
                                 "exp_avg": torch.zeros_like(p, memory_format=torch.preserve_format),
                                 "exp_avg_sq": torch.zeros_like(p, memory_format=torch.preserve_format)}
        states = [self.state[p] for p in params]
        steps = [s["step"] for s in states]
        torch._foreach_add_(steps, 1)
        beta1, beta2 = group["betas"]
        torch._fused_adam_(params, [p.grad for p in params], [s["exp_avg"] for s in states],
                           [s["exp_avg_sq"] for s in states], [], steps, amsgrad=False, lr=float(group["lr"]),
                           beta1=float(beta1), beta2=float(beta2), weight_decay=0.0, eps=float(group["eps"]),
                           maximize=False)
