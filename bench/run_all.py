"""Run every benchmark in turn (each writes its own section of BENCHMARKS.md)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

for script in ("kl_bench.py", "concepts_bench.py", "presenter_bench.py", "engine_bench.py", "live_bench.py",
               "fuzz_bench.py"):
    print(f"== {script}", flush=True)
    subprocess.run([sys.executable, str(HERE / script)], check=True)
