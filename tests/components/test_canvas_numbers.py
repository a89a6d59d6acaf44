"""The KL canvas's readout (computed by its JavaScript, kl_numbers.js, under Node) is the page's metrics to the digit
shown."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from app_core import readout
from sae_core.divergence.measures import FAMILIES, Density
from app_core.state import kl as kv

NODE = shutil.which("node")
JS = Path(__file__).resolve().parents[2] / "components" / "web" / "kl_numbers.js"
pytestmark = pytest.mark.skipif(NODE is None, reason="node is missing: `make test` installs Debian's nodejs")

RUNNER = """
import { numbers, formatValue } from "./canvas.mjs";
import { readFileSync } from "node:fs";
const cases = JSON.parse(readFileSync(0, "utf8"));
console.log(JSON.stringify(cases.map((s) => {
  const n = numbers(s);
  return [n.kl_pq, n.kl_qp, n.js].map((v) => formatValue(v, s.units));
})));
"""


def canvas_readouts(states: list[kv.KLState], tmp_path: Path) -> list[list[str]]:
    (tmp_path / "canvas.mjs").write_text(JS.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "run.mjs").write_text(RUNNER, encoding="utf-8")
    wire = [{"mode": s.mode, "units": s.units, "p": vars(s.p), "q": vars(s.q), "pBars": list(s.p_bars),
             "qBars": list(s.q_bars)} for s in states]
    out = subprocess.run([NODE, str(tmp_path / "run.mjs")], input=json.dumps(wire), capture_output=True, text=True,
                         check=True, timeout=120)
    return json.loads(out.stdout)


def page_metrics(state: kv.KLState) -> list[str]:
    d = readout.divergences(state)
    return ["∞" if math.isinf(v) else f"{v:.3f}" for v in (d.kl_pq, d.kl_qp, d.js)]


def some_states(n: int, seed: int = 0) -> list[kv.KLState]:
    rng = np.random.default_rng(seed)
    states = []
    for i in range(n):
        p = kv.clamp_density(str(rng.choice(FAMILIES)), rng.uniform(-6, 6), rng.uniform(0.2, 3))
        q = kv.clamp_density(str(rng.choice(FAMILIES)), rng.uniform(-6, 6), rng.uniform(0.2, 3))
        bars = [kv.normalised_bars(rng.dirichlet(np.full(kv.N_OUTCOMES, 0.5)) * (rng.random(kv.N_OUTCOMES) > 0.3)
                                   + 1e-9 * (j == 0)) for j in range(2)]
        states.append(kv.KLState(mode=kv.MODES[i % 2], units=kv.UNITS[(i // 2) % 2], p=p, q=q, p_bars=bars[0],
                                 q_bars=bars[1]))
    for name in kv.PRESETS:
        for mode in kv.MODES:
            states.append(kv.apply_preset(kv.KLState(mode=mode), name))
    # Disjoint uniforms: the old 600-point readout said JS ≈ 0.697 nats here, above the ln 2 ceiling.
    states.append(kv.KLState(p=Density("uniform", -2.5, 0.8), q=Density("uniform", 2.5, 0.8)))
    states.append(replace(states[-1], units="bits"))
    return states


def test_the_canvas_shows_the_page_metrics_for_every_family_mode_and_unit(tmp_path):
    states = some_states(160)
    assert canvas_readouts(states, tmp_path) == [page_metrics(s) for s in states]


def test_js_on_disjoint_supports_is_exactly_the_ceiling(tmp_path):
    disjoint = kv.KLState(p=Density("uniform", -2.5, 0.8), q=Density("uniform", 2.5, 0.8))
    shown = canvas_readouts([disjoint, replace(disjoint, units="bits")], tmp_path)
    assert shown == [["∞", "∞", f"{math.log(2):.3f}"], ["∞", "∞", f"{1:.3f}"]]
