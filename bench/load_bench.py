"""Load benchmark: a room of visitors on one server, each a websocket client speaking Streamlit's protocol
(bench/streamlit_client.py) — `--kl` visitors dragging P on the KL page (the pointer moves ten times a second;
like the canvas, a visitor sends positions as often as the page's `sendMs` allows: ten a second on a quiet
server, fewer or only the release on a busy one) and `--train` visitors training on the Sparsity trade-off page (toy data, Play, the
page's own redraw timer) — for `--seconds`. Records errors, update latency per page (request → its run's
end), steps/s per training visitor, the server's CPU and memory over time, and its memory once everyone has
left (after the disconnected-session TTL) against the idle figure.

Run: `.venv/bin/python bench/load_bench.py` (defaults: 30 + 30 visitors, 180 s; writes the "load" section of
BENCHMARKS.md). The clients run on the same machine as the server and take some of its cores.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import summary, write_section  # noqa: E402
from bench.streamlit_client import Visitor, canvas_drag_value  # noqa: E402
from deploy.serve import Replicas  # noqa: E402
from tests.browser.server import free_port, streamlit_server  # noqa: E402

SESSION_TTL_S = 10  # disconnected sessions are dropped after this (Streamlit's default is 120 s)
DRAG_INTERVAL_S = 0.1  # the pointer moves every 100 ms during a drag
TRAIN_QUERY = "data=toy&latents=64"


@dataclass
class Load:
    kl: list = field(default_factory=list)  # Visit of each KL visitor
    train: list = field(default_factory=list)
    samples: list = field(default_factory=list)  # (seconds since start, CPU %, RSS MiB)


def _proc_stats(pids: list[int]) -> tuple[float, float]:
    """(CPU seconds used so far, resident MiB) of the server's processes together."""
    cpu = rss = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        rss += int(fields[21]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    return cpu, rss


async def _sample(pids: list[int], load: Load, stop: asyncio.Event, started: float) -> None:
    last_cpu, last_t = _proc_stats(pids)[0], time.monotonic()
    while not stop.is_set():
        await asyncio.sleep(1.0)
        cpu, rss = _proc_stats(pids)
        now = time.monotonic()
        load.samples.append((now - started, 100 * (cpu - last_cpu) / (now - last_t), rss))
        last_cpu, last_t = cpu, now


async def _kl_visitor(url: str, seconds: float, delay: float, load: Load) -> None:
    await asyncio.sleep(delay)
    async with Visitor(url, "kl_divergence") as v:
        load.kl.append(v.visit)
        end, seq = time.monotonic() + seconds, 0
        while time.monotonic() < end:
            # A two-second drag, then the pointer lifts. The pointer moves every 100 ms; like the canvas, the
            # visitor sends a position as often as the page's `sendMs` allows (0: only the release).
            send_s = v.visit.components.get("kl_canvas", {}).get("sendMs", 100) / 1000
            last_sent = -1e9
            for i in range(20):
                release = i == 19
                if release or (send_s > 0 and time.monotonic() - last_sent >= send_s):
                    seq += 1
                    last_sent = time.monotonic()
                    await v.rerun(("kl_canvas", "json_value", canvas_drag_value(seq, -2 + 0.2 * i, dragging=not release)))
                await asyncio.sleep(DRAG_INTERVAL_S)
            await asyncio.sleep(0.5)


async def _train_visitor(url: str, seconds: float, delay: float, load: Load) -> None:
    await asyncio.sleep(delay)
    async with Visitor(url, "sparsity", TRAIN_QUERY) as v:
        load.train.append(v.visit)
        await v.rerun(("so_play", "trigger_value", True))
        await asyncio.sleep(seconds)
        v.stop_timers()


async def run_load(url: str, pids: list[int], kl: int, train: int, seconds: float, ramp: float = 10.0) -> Load:
    load, stop, started = Load(), asyncio.Event(), time.monotonic()
    sampler = asyncio.create_task(_sample(pids, load, stop, started))
    visitors = [_kl_visitor(url, seconds, ramp * i / max(1, kl), load) for i in range(kl)]
    visitors += [_train_visitor(url, seconds, ramp * i / max(1, train), load) for i in range(train)]
    results = await asyncio.gather(*visitors, return_exceptions=True)
    failures = [r for r in results if isinstance(r, BaseException)]
    stop.set()
    await sampler
    for failure in failures:
        load.kl.append(type("Failed", (), {"errors": [f"{type(failure).__name__}: {failure}"], "latencies": [],
                                           "step_log": []})())
    return load


def steps_per_second(visit) -> float:
    log = visit.step_log
    if len(log) < 2:
        return 0.0
    return (log[-1][1] - log[0][1]) / max(1e-9, log[-1][0] - log[0][0])


async def _warm_up(url: str) -> None:
    """One visitor to each page first: the libraries load, so 'idle' means a server ready to serve."""
    async with Visitor(url, "kl_divergence"):
        pass
    async with Visitor(url, "sparsity", TRAIN_QUERY) as v:
        await v.rerun(("so_step", "trigger_value", True))
        await asyncio.sleep(1)


def measure(kl: int, train: int, seconds: float, replicas: int = 1) -> dict:
    env = {"SAE_PLAYGROUND_BACKGROUND": "0", "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(SESSION_TTL_S)}
    with _servers(replicas, env) as (url, replica_urls, pids):
        for replica_url in replica_urls:  # through the proxy a visitor lands on any replica: warm each one
            asyncio.run(_warm_up(replica_url))
        time.sleep(SESSION_TTL_S + 5)
        idle = _proc_stats(pids)[1]
        client_before = time.process_time()
        load = asyncio.run(run_load(url, pids, kl, train, seconds))
        client_cpu = 100 * (time.process_time() - client_before) / seconds
        time.sleep(SESSION_TTL_S + 10)
        after = _proc_stats(pids)[1]
    return {"load": load, "idle_mib": idle, "after_mib": after, "client_cpu": client_cpu}


@contextmanager
def _servers(replicas: int, env: dict):
    """(URL visitors use, each replica's own URL, the server's pids): one Streamlit process, or `replicas` of
    them behind nginx as `make serve REPLICAS=N` runs them (deploy/serve.py), the proxy's pid included."""
    if replicas <= 1:
        with streamlit_server(env=env) as url:
            yield url, [url], [_server_pid(url)]
        return
    ports = [free_port() for _ in range(replicas + 1)]
    with Replicas(replicas, ports[0], address="127.0.0.1", env=env, replica_ports=ports[1:]) as served:
        yield (f"http://127.0.0.1:{ports[0]}", [f"http://127.0.0.1:{port}" for port in ports[1:]],
               [proc.pid for proc in served.procs])


def _server_pid(url: str) -> int:
    port = url.rsplit(":", 1)[1]
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"streamlit" in b" ".join(cmd) and port.encode() in cmd:
                return int(proc.name)
    raise RuntimeError("the server's process was not found")


def report(result: dict, kl: int, train: int, seconds: float, replicas: int = 1) -> str:
    load = result["load"]
    errors = [e for v in load.kl + load.train for e in v.errors]
    kl_lat = [1000 * x for v in load.kl for x in v.latencies]
    tr_lat = [1000 * x for v in load.train for x in v.latencies]
    rates = sorted(steps_per_second(v) for v in load.train)
    median_rate = statistics.median(rates) if rates else 0.0
    cpu = [c for _, c, _ in load.samples]
    timeline = " · ".join(f"{t:.0f} s: {c:.0f}% / {m:.0f} MiB" for t, c, m in load.samples[::15])
    kl_s, tr_s = summary(kl_lat or [0.0]), summary(tr_lat or [0.0])
    idle, after = result["idle_mib"], result["after_mib"]
    served = ("one Streamlit process" if replicas <= 1 else
              f"{replicas} replicas behind nginx, as `make serve REPLICAS={replicas}` runs them (CPU and memory summed "
              "over the replicas and the proxy)")
    return f"""## Load: {kl} visitors dragging on the KL page, {train} training on the trade-off page, {seconds:.0f} s

Served by {served}. Each visitor is a websocket client speaking Streamlit's protocol (`bench/streamlit_client.py`)
on the same machine as the server; the clients together used {result['client_cpu']:.0f}% of a core. Update latency:
from a request (a drag value; a redraw-timer tick) to the end of the run that answers it.

| measure | value |
| --- | --- |
| errors (exceptions, error boxes, dropped connections) | {len(errors)}{': ' + '; '.join(errors[:3]) if errors else ''} |
| KL page update latency p50 / p95 (ms) | {kl_s['median']:.0f} / {kl_s['p95']:.0f} ({kl_s['n']} updates) |
| trade-off page redraw latency p50 / p95 (ms) | {tr_s['median']:.0f} / {tr_s['p95']:.0f} ({tr_s['n']} redraws) |
| steps/s per training visitor: min / median / max | {rates[0] if rates else 0:.0f} / {median_rate:.0f} / {rates[-1] if rates else 0:.0f} |
| slowest visitor against the median | {(rates[0] / median_rate if median_rate else 0):.0%} |
| server CPU (100% = one core): mean / peak | {statistics.mean(cpu) if cpu else 0:.0f}% / {max(cpu) if cpu else 0:.0f}% |
| server memory: idle → peak → after everyone left ({SESSION_TTL_S} s session TTL) | {idle:.0f} → {max(m for *_, m in load.samples) if load.samples else 0:.0f} → {after:.0f} MiB ({(after - idle) / idle:+.0%}) |

CPU / memory over time: {timeline}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kl", type=int, default=30)
    parser.add_argument("--train", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--replicas", type=int, default=1, help="N > 1: N replicas behind nginx (make serve)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md as it is")
    args = parser.parse_args()
    result = measure(args.kl, args.train, args.seconds, args.replicas)
    body = report(result, args.kl, args.train, args.seconds, args.replicas)
    print(body)
    if not args.no_write:
        write_section("load", f"python bench/load_bench.py --kl {args.kl} --train {args.train} --seconds "
                              f"{args.seconds:g} --replicas {args.replicas}", body)


if __name__ == "__main__":
    main()
