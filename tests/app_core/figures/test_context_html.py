"""A unit's contexts as HTML: shading by activation, the fired-on character marked, plain text where the unit is
silent, and text alternatives a screen reader reads."""

from __future__ import annotations

import re

import numpy as np

from app_core.figures.context_html import LEVELS, contexts_html, level, shade
from sae_core.lm.explore import Context


def _ctx(text: str, acts, focus: int) -> Context:
    acts = np.asarray(acts, np.float32)
    return Context(text, acts, focus, float(acts[focus]), 0, focus)


def test_each_positive_character_is_shaded_by_its_share_of_the_strongest_and_the_focus_is_marked():
    out = contexts_html([_ctx("ab<c", [0.0, 2.0, 1.0, 0.0], 1)], "Latent 7")
    spans = re.findall(r'<span class="([^"]+)" title="([^"]+)">([^<]*)</span>', out)
    assert spans == [(f"s{LEVELS} f", "2.00", "b"), (f"s{LEVELS // 2}", "1.00", "&lt;")]
    assert "a<span" in out and "</span>c</div>" in out  # silent characters are plain text, escaped
    assert f".lm-ctx .s{LEVELS}{{background:{shade(1.0)}}}" in out and "background:#ffffff" not in out


def test_a_silent_fired_on_character_is_still_outlined_and_every_line_names_its_activation():
    out = contexts_html([_ctx("x\ny", [3.0, 0.0, 0.0], 0), _ctx("q r", [0.0, -1.0, 0.0], 1)], "Neuron 3")
    assert out.count('role="listitem"') == 2 and 'aria-label="Top contexts of Neuron 3, strongest first"' in out
    assert "Context 1: activation 3.00 on &#x27;x&#x27; in &#x27;x↵y&#x27;" in out
    assert '<span class="s0 f" title="-1.00">·</span>' in out  # negative: no shade, but the focus is marked
    assert f'<span class="s{LEVELS} f" title="3.00">x</span>↵y</div>' in out


def test_levels_cover_the_scale_and_no_context_says_so():
    assert [level(s) for s in (0.0, 0.5, 1.0, 2.0, -1.0, float("nan"))] == [0, LEVELS // 2, LEVELS, LEVELS, 0, 0]
    assert "is not positive on any character" in contexts_html([], "Latent 1")
