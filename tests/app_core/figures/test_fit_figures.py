"""KL as a loss: the densities chart keeps every curve it draws in view."""

from sae_core.divergence.measures import GaussianMixture
from app_core.figures.fit_figures import densities_figure


def test_the_start_curve_stays_in_view_after_q_has_widened():
    target = GaussianMixture((0.5, 0.5), (-3.0, 3.0), (0.7, 0.7))
    fig = densities_figure(target, mu=0.0, sigma=3.0, start=(1.0, 1.0), x_range=(-8.0, 8.0))
    start = next(trace for trace in fig.data if trace.name == "Q at the start")
    assert max(start.y) <= fig.layout.yaxis.range[1]  # it was cut at 0.31 against a peak of 0.40


def test_a_very_narrow_q_does_not_flatten_p():
    target = GaussianMixture((0.5, 0.5), (-3.0, 3.0), (0.7, 0.7))
    fig = densities_figure(target, mu=0.0, sigma=0.01, start=(0.0, 0.01), x_range=(-8.0, 8.0))
    p = next(trace for trace in fig.data if trace.name == "P (target)")
    assert fig.layout.yaxis.range[1] <= 3.3 * max(p.y) + 1e-9  # 3× P's peak, and a margin of 10%
