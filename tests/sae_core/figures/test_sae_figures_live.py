"""The figures live pages redraw every second: what they show, built from arrays."""

import numpy as np

from sae_core.figures.sae_figures import activation_bars, live_curves


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
    dead = fig.data[1]
    assert np.isnan(dead.y[0]) and np.isnan(dead.y[1]) and dead.y[2] == 25.0
    assert list(fig.data[0].x) == [0, 1, 2] and list(fig.data[0].y) == [10.0, 9.0, 8.0]


def test_live_figures_built_without_validation_pass_plotly_validation():
    import plotly.graph_objects as go

    from sae_core.figures.sae_figures import tradeoff_plane

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
