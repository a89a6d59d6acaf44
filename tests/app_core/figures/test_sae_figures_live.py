"""The figures live pages redraw every second: what they show, built from arrays."""

import numpy as np

from app_core.figures.sae_figures import activation_bars, live_curves


class Point:
    def __init__(self, step, dead=None):
        self.step, self.l0, self.mse, self.fve, self.mmcs = step, 10.0 - step, 0.1, 0.5, 0.9
        self.dead_fraction = dead


def test_activation_bars_show_every_latent_once_with_the_active_ones_in_colour():
    f = np.array([0.0, 2.0, 0.0, 0.5, 0.0])
    fig = activation_bars(f, np.array([False, True, False, True, False]))
    silent, active = fig.data
    assert list(active.x) == [1, 3] and list(active.y) == [2.0, 0.5]
    assert list(silent.x) == [0, 2, 4] and fig.layout.barmode == "overlay"
    assert active.marker.color != silent.marker.color


def test_curves_leave_a_gap_until_the_dead_latent_window_is_full():
    fig = live_curves([Point(0), Point(1), Point(2, dead=0.25)])
    dead = trace(fig, "dead latents %")
    assert np.isnan(dead.y[0]) and np.isnan(dead.y[1]) and dead.y[2] == 25.0
    assert list(trace(fig, "L0").x) == [0, 1, 2] and list(trace(fig, "L0").y) == [10.0, 9.0, 8.0]


def trace(fig, name):
    return next(t for t in fig.data if t.name == name)


def test_a_panel_whose_metric_has_a_value_draws_it_even_as_a_lone_point():
    """A resumed run's dead-latent fraction was one finite value after a gap: a line of one point draws nothing,
    so the panel was empty while the metric beside it said 19%."""
    fig = live_curves([Point(0), Point(1500, dead=0.19)])
    now = trace(fig, "dead latents % now")
    assert now.mode == "markers" and list(now.x) == [1500] and list(now.y) == [19.0]
    assert not any(t.name == "dead latents % now" for t in live_curves([Point(0), Point(1)]).data)


def test_each_latent_is_one_bar_wide_however_far_apart_the_active_ones_are():
    """Plotly sizes a trace's bars by the gap between its x values: 3 active latents of 64 were drawn ~20 wide."""
    f = np.zeros(64)
    f[[3, 24, 45]] = 1.0
    fig = activation_bars(f)
    for bars in fig.data:
        assert bars.width is not None and 0 < bars.width <= 1
    assert list(fig.layout.xaxis.range) == [-0.5, 63.5]


def test_pin_labels_that_would_overprint_keep_only_the_newest_in_view():
    from app_core.figures.sae_figures import tradeoff_plane

    class Pinned:
        def __init__(self, l0, mse, label):
            self.l0, self.mse, self.fve, self.label = l0, mse, 0.5, label

    pins = [Pinned(20.0, 0.0300, "λ=3"), Pinned(21.0, 0.0302, "λ=4"), Pinned(21.5, 0.0301, "λ=5"),
            Pinned(60.0, 0.01, "λ=0.3")]
    fig = tradeoff_plane(Point(4), [Point(4)], pins)
    shown = next(t for t in fig.data if t.name == "finished settings")
    assert list(shown.hovertext) == ["λ=3", "λ=4", "λ=5", "λ=0.3"]  # every label stays in the hover
    labelled = [t for t in shown.text if t]
    assert "λ=5" in labelled and "λ=0.3" in labelled and 2 <= len(labelled) <= 3


def test_live_figures_built_without_validation_pass_plotly_validation():
    import plotly.graph_objects as go

    from app_core.figures.sae_figures import tradeoff_plane

    class Pinned:
        l0, mse, fve, label = 5.0, 0.2, 0.7, "l1 = 3"

    class Frontier:
        def __init__(self, l0):
            self.l0, self.mse, self.fve, self.label, self.method, self.setting = l0, 0.1, 0.8, "ReLU + L1", "relu", "x"

    trail = [Point(s, dead=0.1) for s in range(5)]
    figures = [live_curves(trail), live_curves(trail, show_mmcs=True),
               tradeoff_plane(trail[-1], trail, [Pinned()], [Frontier(3.0), Frontier(9.0)]),
               tradeoff_plane(trail[-1], trail, [], None, y="fve"),
               activation_bars(np.array([0.0, 1.0, 0.3]))]
    for fig in figures:
        go.Figure(fig.to_dict())  # raises ValueError on any property Plotly does not know or accept
