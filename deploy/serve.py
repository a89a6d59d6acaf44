"""`make serve REPLICAS=N`: N Streamlit processes of the app behind nginx (from Debian's package), on one port.

Each replica is a separate Python process (its own GIL and training threads), on PORT+1 … PORT+N of loopback;
nginx listens on PORT and keeps each visitor on one replica (deploy/nginx.conf.template). State the replicas
share — the frontiers and the runs scenes resume — lives on disk in one folder ($SAE_PLAYGROUND_CACHE, default
.cache/), which every replica reads and where a file lock lets only one of them compute each thing. Ctrl-C (or
SIGTERM) stops everything.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MAX_BODY = "60m"  # a little above the app's own upload cap, so the app's clearer message is the one people see
# glibc gives each script thread a heap of its own; two keep what a departed visitor's runs freed in fewer places
# (BENCHMARKS.md, load). Every way of starting the app sets it (Makefile, Dockerfile, tests/browser/server.py); an
# operator's own value wins.
SERVER_ENV = {"MALLOC_ARENA_MAX": "2"}


def nginx_config(listen: str, replica_ports: list[int], runtime: Path) -> str:
    servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=0;" for port in replica_ports)
    return (TEMPLATE.read_text(encoding="utf-8").replace("{{RUNTIME}}", str(runtime))
            .replace("{{SERVERS}}", servers).replace("{{LISTEN}}", listen).replace("{{MAX_BODY}}", MAX_BODY))


def wait_healthy(url: str, timeout: float = 90.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the process for {url} exited (code {proc.returncode}) before answering")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().decode().strip() == "ok":
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not become healthy within {timeout:.0f} s")
        time.sleep(0.2)


class Replicas:
    """The processes: start them, wait until each answers, stop them all."""

    def __init__(self, replicas: int, port: int, address: str = "0.0.0.0", env: dict | None = None,
                 replica_ports: list[int] | None = None):
        self.replicas, self.port, self.address = replicas, port, address
        # One cookie secret for all: Streamlit signs its XSRF cookie with it, so a visitor the proxy moves to
        # another replica (one died, the hash ring changed) can still upload.
        secret = os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET") or secrets.token_hex(32)
        self.env = {**SERVER_ENV, **os.environ, "PYTHONUNBUFFERED": "1", "STREAMLIT_SERVER_COOKIE_SECRET": secret,
                    **(env or {})}
        self.runtime = Path(tempfile.mkdtemp(prefix="sae-serve-"))
        self.procs: list[subprocess.Popen] = []
        # PORT+1 … PORT+N unless given (tests give ports they found free: PORT+1 may be taken).
        self.replica_ports = replica_ports or [port + 1 + i for i in range(replicas)]

    def start(self) -> "Replicas":
        for port in self.replica_ports:
            cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                   "--server.port", str(port), "--server.address", "127.0.0.1",
                   "--browser.gatherUsageStats", "false"]
            log = open(self.runtime / f"replica-{port}.log", "w")
            self.procs.append(subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT))
        for port, proc in zip(self.replica_ports, self.procs):
            wait_healthy(f"http://127.0.0.1:{port}", proc=proc)
        conf = self.runtime / "nginx.conf"
        conf.write_text(nginx_config(f"{self.address}:{self.port}", self.replica_ports, self.runtime))
        self.procs.append(subprocess.Popen([NGINX, "-p", str(self.runtime), "-c", str(conf)], cwd=self.runtime,
                                           stdout=open(self.runtime / "nginx.out", "w"), stderr=subprocess.STDOUT))
        wait_healthy(f"http://127.0.0.1:{self.port}")
        return self

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(self.runtime, ignore_errors=True)

    def __enter__(self) -> "Replicas":
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8501)
    args = parser.parse_args()
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    if not os.path.exists(NGINX):
        sys.exit("nginx is missing: `make serve` installs Debian's nginx when run as root "
                 "(or run `sudo apt-get install nginx-light`).")
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    with Replicas(args.replicas, args.port) as replicas:
        print(f"Serving {args.replicas} replicas ({', '.join(map(str, replicas.replica_ports))}) behind nginx on "
              f"http://localhost:{args.port} — Ctrl-C stops them all.", flush=True)
        try:
            while not stopping and all(p.poll() is None for p in replicas.procs):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        dead = [p.args[-1] if p.args else "?" for p in replicas.procs if p.poll() is not None]
        if dead and not stopping:
            print(f"A process ended ({dead}); stopping the rest. Logs were in {replicas.runtime}.", file=sys.stderr)


if __name__ == "__main__":
    main()
