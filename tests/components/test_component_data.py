import json
import subprocess
import sys
from pathlib import Path

from components.component_data import plain_data


def test_lists_travel_as_tuples_and_nested_dicts_as_json_text():
    payload = {"mode": "continuous", "p": {"family": "gaussian", "loc": -1.0, "sd": 1.0}, "pBars": [0.5, 0.5],
               "large": False, "sendMs": 100, "none": None}
    data = plain_data(payload)
    assert data["pBars"] == (0.5, 0.5) and json.loads(data["p"]) == payload["p"]
    scalars = ("mode", "large", "sendMs", "none")
    assert {k: data[k] for k in scalars} == {k: payload[k] for k in scalars}
    assert json.dumps(data["pBars"]) == json.dumps(payload["pBars"])  # the same JSON array for the component


def test_streamlit_sends_it_without_loading_pandas():
    # Streamlit's dataframe check imports pandas (0.37 s of the KL page's first run) for any value that is not a
    # tuple, a string, a number...; it must find nothing to check here. A fresh process: pandas not yet loaded.
    code = """
import sys
from components.component_data import plain_data
from streamlit.components.v2.bidi_component.serialization import serialize_mixed_data
from streamlit.proto.BidiComponent_pb2 import BidiComponent
assert "pandas" not in sys.modules
serialize_mixed_data(plain_data({"p": {"loc": 1.0}, "bars": [1, 2], "n": 3}), BidiComponent())
print("pandas" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "False", out.stderr
