"""Log axes: labelled with the numbers they mark, at every decade, through one helper."""

import math
import re
from pathlib import Path

import numpy as np
import pytest

from app_core.figures.axes import log_axis, log_label, log_ticks

FIGURES = Path(__file__).resolve().parents[3] / "sae_core" / "figures"


@pytest.mark.parametrize("value, label", [(1, "1"), (20, "20"), (50, "50"), (1000, "1,000"), (0.005, "0.005"),
                                          (0.1, "0.1"), (1e-5, "0.00001"), (1.5, "1.5")])
def test_a_label_is_the_number_it_marks(value, label):
    assert log_label(value) == label


@pytest.mark.parametrize("lo, hi", [(0.0, 1.0), (0.35, 0.95), (-3.0, 0.0), (0.3, 2.4), (-0.2, 2.7), (1.2, 1.7),
                                    (-5.2, -0.1)])
def test_every_decade_in_range_is_labelled_and_at_least_two_labels_show(lo, hi):
    ticks = log_ticks(lo, hi)
    assert len(ticks) >= 2
    assert all(lo - 1e-9 <= math.log10(t) <= hi + 1e-9 for t in ticks)
    for k in range(math.ceil(lo), math.floor(hi) + 1):
        assert any(math.isclose(t, 10.0 ** k) for t in ticks), (k, ticks)
    labels = [log_label(t) for t in ticks]
    assert len(set(labels)) == len(labels)
    for t, text in zip(ticks, labels):  # "2" never stands for 20: each label parses back to its value
        assert math.isclose(float(text.replace(",", "")), t, rel_tol=1e-9)


def test_an_axis_over_values_within_one_decade_still_has_two_full_labels():
    axis = log_axis([23.0, 31.0, 44.0], "L0")
    assert axis["type"] == "log" and axis["tickmode"] == "array" and axis["title"] == {"text": "L0"}
    assert len(axis["tickvals"]) >= 2 and axis["ticktext"] == [log_label(v) for v in axis["tickvals"]]
    assert "30" in axis["ticktext"] and "3" not in axis["ticktext"]
    lo, hi = axis["range"]
    assert lo < math.log10(23.0) and hi > math.log10(44.0)


def test_no_figure_draws_a_log_axis_of_its_own():
    """Every log axis goes through axes.log_axis (Plotly's own ticks write 20 as "2")."""
    own = [p.name for p in FIGURES.glob("*.py") if p.name != "axes.py"
           and re.search(r"""type\s*[=:]\s*["']log["']""", p.read_text(encoding="utf-8"))]
    assert own == []


def test_the_figures_log_axes_carry_full_labels():
    from types import SimpleNamespace as NS

    from app_core.figures.penalty_figures import kl_penalty_figure
    from app_core.figures.sae_figures import frontier_figure, tradeoff_plane
    from app_core.figures.superposition_figures import loss_curve

    points = [NS(method="relu", label="ReLU + L1", setting=f"l1 = {v}", l0=l0, mse=0.1 / l0, fve=0.5)
              for v, l0 in [(0.1, 3.0), (1.0, 12.0), (3.0, 30.0)]]
    now = NS(l0=20.0, mse=0.01, fve=0.7)
    axes = [frontier_figure(points).layout.xaxis, tradeoff_plane(now, [now], [], points).layout.xaxis,
            kl_penalty_figure(np.array([0.01, 0.05, 0.2]), 0.05, 5.0).layout.xaxis,
            loss_curve([(0, 0.3), (100, 0.02), (200, 0.004)]).layout.yaxis]
    for axis in axes:
        assert axis.type == "log" and len(axis.tickvals) >= 2
        assert list(axis.ticktext) == [log_label(v) for v in axis.tickvals]
