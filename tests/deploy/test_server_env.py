"""Every way of starting the app limits glibc's malloc arenas through the environment, and an operator's value wins."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from deploy.serve import SERVER_ENV, Replicas
from tests.browser.server import streamlit_server

ROOT = Path(__file__).resolve().parents[2]


def test_replicas_carry_the_limit_unless_the_operator_set_one(monkeypatch):
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    assert _replica_env()["MALLOC_ARENA_MAX"] == SERVER_ENV["MALLOC_ARENA_MAX"] == "2"
    monkeypatch.setenv("MALLOC_ARENA_MAX", "8")
    assert _replica_env()["MALLOC_ARENA_MAX"] == "8"


def _replica_env() -> dict:
    replicas = Replicas(1, 0)  # not started: only its folder for nginx's files is made
    shutil.rmtree(replicas.runtime)
    return replicas.env


def test_make_run_and_the_image_set_the_same_limit():
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    dry_run = subprocess.run(["make", "-s", "-n", "run"], cwd=ROOT, env=env, capture_output=True, text=True).stdout
    assert "MALLOC_ARENA_MAX=2 " in dry_run.splitlines()[-1]
    assert "ENV MALLOC_ARENA_MAX=2" in (ROOT / "Dockerfile").read_text().splitlines()


@pytest.mark.slow  # starts a server
def test_a_started_server_has_it_in_its_environment(monkeypatch):
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    with streamlit_server(app=str(ROOT / "tests" / "deploy" / "one_line_app.py")) as url:
        port = url.rsplit(":", 1)[1].encode()
        environs = [_read(f"/proc/{pid}/environ") for pid in os.listdir("/proc")
                    if pid.isdigit() and port in _read(f"/proc/{pid}/cmdline")]
    assert environs and all(b"MALLOC_ARENA_MAX=2\0" in e for e in environs)


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError:  # a process that ended meanwhile
        return b""
