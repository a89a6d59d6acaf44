"""The Norms page's figures: labels that stay clear of one another."""

import math

import pytest

from app_core.figures.norm_figures import balls_figure
from sae_core.norms.constrained import Quadratic, solve_both


@pytest.mark.parametrize("w_star", [(1.8, 0.4), (1.8, 1.0), (0.6, 2.2), (-2.0, 1.5), (2.5, 2.5)])
def test_solution_labels_land_clear_of_w_star_and_of_each_other(w_star):
    q = Quadratic.from_ellipse(w_star, 120, 2.5)
    l1, l2 = solve_both(q, 1.0)
    fig = balls_figure(q, 1.0, l1, l2)
    px_per_unit = (540 - 120) / 6
    at = [(a.x + a.ax / px_per_unit, a.y - a.ay / px_per_unit) for a in fig.layout.annotations[:2]]
    assert all(math.dist(p, w_star) >= 0.9 for p in at), at  # the L2 label landed on w*'s
    assert math.dist(*at) >= 0.9
