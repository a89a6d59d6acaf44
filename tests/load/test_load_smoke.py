"""A small room on one server (the load benchmark's short form): everyone's updates answered, every run advancing,
no errors. The full figures are bench/load_bench.py's, in BENCHMARKS.md."""

import statistics

import pytest

from bench.load_bench import _server_pid, run_load, steps_per_second
from tests.browser.server import run_visits, streamlit_server


@pytest.mark.timeout(300)
def test_a_few_visitors_drag_and_train_at_once_without_errors():
    with streamlit_server(env={"SAE_PLAYGROUND_BACKGROUND": "0"}) as url:
        load = run_visits(lambda: run_load(url, [_server_pid(url)], kl=2, train=3, seconds=20, ramp=2), 240)
    errors = [e for v in load.kl + load.train for e in v.errors]
    assert errors == []
    assert len(load.kl) == 2 and all(v.latencies for v in load.kl)  # every drag visitor was answered
    assert all("KL(P‖Q) · nats" in v.metrics for v in load.kl)
    rates = [steps_per_second(v) for v in load.train]
    assert len(rates) == 3 and min(rates) > 0, rates  # everyone trains: nobody waits in line
    # ...and keeps seeing it: the page redraws all along (a visitor whose redraws stopped once showed a rate
    # from its first two readings), and the slowest run gets at least half the median's share.
    assert all(len(v.step_log) >= 5 for v in load.train), [len(v.step_log) for v in load.train]
    assert min(rates) >= 0.5 * statistics.median(rates), rates
    assert load.samples and all(rss > 0 for *_, rss in load.samples)
