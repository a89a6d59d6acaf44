import math

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sae_core.divergence import (
    FAMILIES,
    LN2,
    Density,
    bernoulli_kl,
    compare_continuous,
    continuous_js,
    continuous_kl,
    gaussian_kl,
    js_divergence,
    js_pointwise,
    kl_divergence,
    kl_pointwise,
    separation_sweep,
)

weights = arrays(np.float64, st.integers(2, 12).map(lambda n: (n,)),
                 elements=st.floats(0.0, 10.0, allow_nan=False)).filter(lambda a: a.sum() > 1e-6)


def pair(n):
    return arrays(np.float64, (2, n), elements=st.floats(1e-3, 10.0))


@given(st.integers(2, 12).flatmap(pair))
def test_kl_non_negative_and_js_bounded_symmetric(pq):
    p, q = pq
    assert kl_divergence(p, q) >= -1e-12
    js = js_divergence(p, q)
    assert 0.0 <= js <= LN2 + 1e-12
    assert js == pytest.approx(js_divergence(q, p), abs=1e-12)
    assert js_divergence(p, q, base=2) <= 1.0 + 1e-12


@given(weights)
def test_divergence_of_a_distribution_with_itself_is_zero(p):
    assert kl_divergence(p, p) == pytest.approx(0.0, abs=1e-12)
    assert js_divergence(p, 3 * p) == pytest.approx(0.0, abs=1e-12)


def test_kl_matches_hand_computation_and_scipy_entropy():
    p, q = [0.5, 0.5], [0.9, 0.1]
    expected = 0.5 * math.log(0.5 / 0.9) + 0.5 * math.log(0.5 / 0.1)
    assert kl_divergence(p, q) == pytest.approx(expected)
    assert kl_divergence(p, q, base=2) == pytest.approx(expected / LN2)
    assert kl_divergence(p, q) == pytest.approx(scipy.stats.entropy(p, q))
    assert kl_divergence(p, q) != pytest.approx(kl_divergence(q, p))  # asymmetric


def test_kl_is_positive_when_distributions_differ():
    assert kl_divergence([0.2, 0.8], [0.3, 0.7]) > 0


def test_zero_in_q_where_p_has_mass_gives_infinity_and_js_stays_finite():
    assert kl_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert kl_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(math.log(2))
    assert js_divergence([1, 0], [0, 1]) == pytest.approx(LN2)
    assert np.isinf(kl_pointwise([0.5, 0.5], [1, 0])[1])


def test_js_pointwise_sums_to_js():
    p, q = [0.1, 0.6, 0.3], [0.3, 0.3, 0.4]
    assert js_pointwise(p, q).sum() == pytest.approx(js_divergence(p, q))
    assert kl_pointwise(p, q).sum() == pytest.approx(kl_divergence(p, q))


@pytest.mark.parametrize("bad,match", [
    ([0.5, -0.1, 0.6], "negative"),
    ([0.0, 0.0], "all zeros"),
    ([np.nan, 1.0], "NaN"),
    ([[0.5, 0.5]], "1-D"),
    ([], "non-empty"),
])
def test_bad_input_raises_clear_value_error(bad, match):
    with pytest.raises(ValueError, match=match):
        kl_divergence(bad, [0.5, 0.5] if np.asarray(bad).size != 3 else [0.3, 0.3, 0.4])


def test_mismatched_lengths_and_bad_base_raise():
    with pytest.raises(ValueError, match="same number"):
        kl_divergence([0.5, 0.5], [0.3, 0.3, 0.4])
    with pytest.raises(ValueError, match="base"):
        kl_divergence([0.5, 0.5], [0.3, 0.7], base=1)


@pytest.mark.parametrize("mp,sp,mq,sq", [(0, 1, 0.5, 1), (0, 0.3, 2, 3), (0, 3, 1, 0.3), (-4, 0.2, 4, 0.2), (1, 2, 1, 2)])
def test_numeric_gaussian_kl_matches_closed_form(mp, sp, mq, sq):
    numeric = continuous_kl(Density("gaussian", mp, sp), Density("gaussian", mq, sq))
    exact = gaussian_kl(mp, sp, mq, sq)
    assert numeric == pytest.approx(exact, rel=1e-6, abs=1e-12)


def test_gaussian_kl_rejects_non_positive_width():
    with pytest.raises(ValueError):
        gaussian_kl(0, 0, 0, 1)


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_is_a_density_with_the_stated_standard_deviation(family):
    d = Density(family, 0.7, 1.3)
    c = compare_continuous(d, d)
    mass = np.trapezoid(c.p, c.grid)
    mean = np.trapezoid(c.grid * c.p, c.grid)
    sd = math.sqrt(np.trapezoid((c.grid - mean) ** 2 * c.p, c.grid))
    assert mass == pytest.approx(1.0, abs=2e-3)
    assert mean == pytest.approx(0.7, abs=1e-3)
    assert sd == pytest.approx(1.3, rel=3e-3)
    assert c.kl_pq == pytest.approx(0.0, abs=1e-9)


def test_laplace_and_uniform_match_scipy():
    x = np.linspace(-3, 3, 13)
    lap = Density("laplace", 0.5, 2.0)
    np.testing.assert_allclose(lap.pdf(x), scipy.stats.laplace(0.5, 2.0 / math.sqrt(2)).pdf(x), rtol=1e-12)
    uni = Density("uniform", 0.0, 1.0)
    half = math.sqrt(3)
    np.testing.assert_allclose(uni.pdf(x), scipy.stats.uniform(-half, 2 * half).pdf(x), rtol=1e-12)


def test_disjoint_uniform_supports():
    p, q = Density("uniform", -3, 0.5), Density("uniform", 3, 0.5)
    assert continuous_kl(p, q) == math.inf
    assert continuous_js(p, q) == pytest.approx(LN2, abs=1e-9)
    assert continuous_js(p, q, base=2) == pytest.approx(1.0, abs=1e-9)


def test_separation_sweep_kl_grows_js_saturates():
    sweep = separation_sweep(Density("gaussian", 0, 1), Density("gaussian", 0, 1), [0, 2, 4, 8, 12])
    assert np.all(np.diff(sweep.kl_pq) > 0)
    np.testing.assert_allclose(sweep.kl_pq, np.array([0, 2, 4, 8, 12]) ** 2 / 2, rtol=1e-6)
    assert sweep.js[-1] == pytest.approx(LN2, rel=1e-3)
    assert np.all(sweep.js <= LN2 + 1e-12)


def test_bernoulli_kl_numpy_and_torch_agree():
    torch = pytest.importorskip("torch")
    rho_hat = np.array([0.01, 0.05, 0.5, 0.99])
    expected = 0.05 * np.log(0.05 / rho_hat) + 0.95 * np.log(0.95 / (1 - rho_hat))
    np.testing.assert_allclose(bernoulli_kl(0.05, rho_hat), expected, rtol=1e-10)
    t = torch.tensor(rho_hat, requires_grad=True)
    out = bernoulli_kl(0.05, t)
    np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-6)
    out.sum().backward()
    assert t.grad[2] > 0 and t.grad[0] < 0  # pushes ρ̂ towards ρ from both sides
    assert bernoulli_kl(0.05, 0.05) == pytest.approx(0.0, abs=1e-15)


@pytest.mark.parametrize("kwargs", [dict(family="cauchy"), dict(sd=0.0), dict(loc=math.nan)])
def test_density_validates(kwargs):
    with pytest.raises(ValueError):
        Density(**kwargs)


@settings(max_examples=40, deadline=None)
@given(st.floats(-3, 3), st.floats(0.3, 2.5), st.floats(-3, 3), st.floats(0.3, 2.5))
def test_numeric_gaussian_kl_property(mp, sp, mq, sq):
    numeric = continuous_kl(Density("gaussian", mp, sp), Density("gaussian", mq, sq))
    assert numeric == pytest.approx(gaussian_kl(mp, sp, mq, sq), rel=1e-6, abs=1e-9)
