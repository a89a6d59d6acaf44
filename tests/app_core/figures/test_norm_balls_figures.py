"""The norms page's figures show computed numbers and mark exact zeros honestly."""

import numpy as np

from app_core.figures.norm_figures import (balls_figure, format_coordinate, format_point, shrinkage_curve_figure,
                                           shrunk_vector_figure, vector_figure)
from sae_core.norms.constrained import Quadratic, solve_both
from sae_core.norms.shrinkage import shrink


def test_a_zero_prints_as_0_and_a_near_zero_never_does():
    assert format_coordinate(0.0) == "0" and format_coordinate(-0.0) == "0"
    assert format_coordinate(0.004) == "4.0e-03" and format_coordinate(0.5) == "0.50"
    assert format_point(np.array([1.0, 0.0])) == "(1.00, 0)"


def test_titles_carry_the_computed_norms():
    fig = vector_figure((3.0, -4.0, 0.0, 0.0, 0.0, 0.0))
    assert fig.layout.title.text == "L0 = 2   ·   L1 = 7.00   ·   L2 = 5.00"
    zero_marks = [t for t in fig.data if t.type == "scatter"][0]
    assert list(zero_marks.x) == ["x₃", "x₄", "x₅", "x₆"]
    shrunk = shrunk_vector_figure((2.0, -1.5, 0.3, 0.0, -0.2, 1.0), 0.5, "soft")
    assert shrunk.layout.title.text.startswith("L0 5 → 3")
    assert shrunk_vector_figure((2.0, -1.5, 0.3, 0.0, -0.2, 1.0), 0.5, "relu").layout.title.text.startswith("L0 5 → 2")


def test_the_balls_figure_labels_both_solutions_on_equal_axes():
    q = Quadratic.from_ellipse([1.8, 1.0], 120, 2.5)
    l1_sol, l2_sol = solve_both(q, 1.0)
    fig = balls_figure(q, 1.0, l1_sol, l2_sol)
    names = [t.name for t in fig.data]
    assert "L1 solution (1.00, 0)" in names and f"L2 solution {format_point(l2_sol.w)}" in names
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis.scaleratio == 1
    assert {a.text for a in fig.layout.annotations} == {"<b>L1</b> (1.00, 0)", f"<b>L2</b> {format_point(l2_sol.w)}",
                                                     "<b>w*</b>"}
    diamond = next(t for t in fig.data if t.name.startswith("L1 ball"))
    assert max(abs(np.array(diamond.x)) + abs(np.array(diamond.y))) == 1.0


def test_contours_are_evenly_spaced_exact_level_sets_and_the_curve_is_exact():
    q = Quadratic.from_ellipse([1.8, 1.0], 120, 2.5)
    rings = balls_figure(q, 1.0, *solve_both(q, 1.0)).data[0]
    assert rings.name == "loss contours"
    xs, ys = np.array(rings.x, dtype=float), np.array(rings.y, dtype=float)
    breaks = np.flatnonzero(np.isnan(xs))
    radii = [np.sqrt(2 * q.loss(np.stack([xs[a + 1:b], ys[a + 1:b]], axis=-1))) for a, b in
             zip(np.r_[-1, breaks[:-1]], breaks)]
    assert all(np.ptp(r) < 1e-5 for r in radii)  # each ring is one level of the loss (to float32's precision)
    assert np.allclose(np.diff([r[0] for r in radii]), radii[0][0])  # and the levels are evenly spaced
    for kind in ("soft", "relu"):
        curve = shrinkage_curve_figure(0.8, kind).data[1]
        assert np.allclose(curve.y, shrink(np.array(curve.x), 0.8, kind))
        assert {-0.8, 0.8} <= set(np.round(curve.x, 12))

