"""The shared sequence/ack protocol of components/web/lifecycle.js, run under Node: what a component sends is
waited for until the page has applied it, or until the component stops waiting."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

NODE = shutil.which("node")
JS = Path(__file__).resolve().parents[2] / "components" / "web" / "lifecycle.js"
pytestmark = pytest.mark.skipif(NODE is None, reason="node is missing: `make test` installs Debian's nodejs")

RUNNER = """
import { Sequence } from "./lifecycle.mjs";
const s = new Sequence(), seen = {};
seen.fresh = s.settled(0);
const a = s.next(), b = s.next();
seen.increasing = b > a && a >= Date.now() * 1000 - 5e6;
seen.beforeAck = s.settled(a);
seen.afterAck = s.settled(b);
const c = s.next();
s.waive();
seen.waived = s.settled(b);
seen.sentAfterWaiving = (s.next(), s.settled(c));
seen.numbersStillGrow = s.next() > c;
console.log(JSON.stringify(seen));
"""


def test_a_sent_value_is_waited_for_until_applied_or_waived(tmp_path):
    (tmp_path / "lifecycle.mjs").write_text(JS.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "run.mjs").write_text(RUNNER, encoding="utf-8")
    out = subprocess.run([NODE, str(tmp_path / "run.mjs")], capture_output=True, text=True, check=True, timeout=60)
    assert json.loads(out.stdout) == {"fresh": True, "increasing": True, "beforeAck": False, "afterAck": True,
                                      "waived": True, "sentAfterWaiving": False, "numbersStillGrow": True}
