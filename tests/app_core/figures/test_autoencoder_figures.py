"""The Autoencoders page's figures: the code sizes, the codes."""

import numpy as np

from app_core.figures.autoencoder_figures import code_heatmap, code_sizes_figure


def test_code_sizes_show_each_models_numbers_in_and_out():
    fig = code_sizes_figure(784, 8, 256)
    bottleneck, sparse = fig.data
    assert list(bottleneck.y) == [784, 8, 784] and list(sparse.y) == [784, 256, 784]
    assert list(bottleneck.x) == ["input x", "code f", "reconstruction x̂"]
    assert fig.layout.yaxis.range[1] > 784  # the labels above the tallest bars stay inside


def test_a_code_heatmap_leaves_exact_zeros_blank_and_counts_the_active_latents():
    f = np.array([[0.0, 2.0, -1.0, 0.0], [0.0, 0.0, 0.0, 3.0]])
    (trace,) = code_heatmap(f, ["a", "b"], "codes").data
    assert np.isnan(trace.z[0][0]) and trace.z[0][1] == 1.0 and trace.z[0][2] == -0.5
    assert list(trace.y) == ["a (2 on)", "b (1 on)"]
