"""What a live page's first Play loads: PyTorch and the live-training code, not SciPy (0.5 s of that wait on 2
cores: its special functions came with the KL-sparse model, its optimize with the metrics)."""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # imports torch in fresh interpreters

ROOT = Path(__file__).resolve().parents[3]


def _loaded_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", f"{code}; import sys; print(' '.join(sys.modules))"],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_the_live_training_code_loads_without_scipy():
    loaded = _loaded_after("import app_core.live.pair, app_core.live.run, sae_core.models")
    assert "torch" in loaded and "sae_core.models.kl_sparse" in loaded
    assert not {m for m in loaded if m == "scipy" or m.startswith("scipy.")}


def test_the_divergence_package_loads_a_module_when_one_of_its_names_is_first_used():
    loaded = _loaded_after("from sae_core.divergence import bernoulli_kl")
    assert "sae_core.divergence.bernoulli" in loaded and "sae_core.divergence.measures" not in loaded
    loaded = _loaded_after("from sae_core.divergence import FIT_DIRECTIONS, kl_divergence; "
                           "assert FIT_DIRECTIONS == ('forward', 'reverse', 'js'), FIT_DIRECTIONS")
    assert {"sae_core.divergence.fitting", "sae_core.divergence.measures", "scipy.special"} <= loaded


def test_the_divergence_package_names_what_it_has_and_refuses_what_it_has_not():
    import pytest

    import sae_core.divergence as divergence

    assert {"GaussianMixture", "fit_gaussian", "bernoulli_kl", "FIT_DIRECTIONS"} <= set(dir(divergence))
    assert all(getattr(divergence, name) is not None for name in divergence.__all__)
    with pytest.raises(AttributeError, match="no attribute 'gaussian_mixture'"):
        divergence.gaussian_mixture  # noqa: B018


def test_the_warm_up_loads_the_drawing_code_a_first_redraw_would():
    before = _loaded_after("import app_core.figures.warmup")
    after = _loaded_after("from app_core.figures.warmup import warm_up_drawing; warm_up_drawing()")
    assert {"PIL.PngImagePlugin", "_plotly_utils.basevalidators"} <= after - before
