import pytest

from app_core.state.kl_loss import SIGMA_RANGE, KLLossState, start_grid


@pytest.mark.parametrize("picked,expected", [
    ((-3.0, 1.1), (-3.0, 1.1)),     # a point of the pick grid
    ((0.13, 5.3), (0.25, 4.0)),     # P's moment match of a wide target: off the grid, above the σ₀ range
    ((9.0, 0.01), (6.0, 0.3)),      # beyond both ranges
])
def test_a_picked_start_snaps_to_a_slider_position(picked, expected):
    assert KLLossState().with_start(*picked).start == expected


def test_every_pickable_start_is_a_slider_position():
    mus, sigmas = start_grid()
    for mu in mus:
        for sigma in sigmas:
            assert KLLossState().with_start(mu, sigma).start == (mu, sigma)
    assert min(sigmas) == SIGMA_RANGE[0]
