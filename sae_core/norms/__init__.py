"""Norms of a vector and what they do to sparsity: L0/L1/L2 (`vector`), least squares under an L1 or L2
constraint in 2-D (`constrained`), and the shrinkage an L1 penalty applies to one latent (`shrinkage`).

Pure numpy: nothing here imports torch, so the concept page that uses it loads instantly.
"""

from sae_core.norms.constrained import Quadratic, Solution, l1_constrained, l2_constrained, solve_both
from sae_core.norms.shrinkage import relu_shrink, shrink, soft_threshold
from sae_core.norms.vector import ZERO_TOL, Norms, is_zero, l0, l1, l2, norms

__all__ = ["ZERO_TOL", "Norms", "Quadratic", "Solution", "is_zero", "l0", "l1", "l1_constrained", "l2",
           "l2_constrained", "norms", "relu_shrink", "shrink", "soft_threshold", "solve_both"]
