"""Two replicas behind nginx on loopback: the proxy spreads new visitors over both and keeps a key on one (the
browser side, a session staying on its replica through reruns, is tests/browser/test_replicas_browser.py)."""

from __future__ import annotations

import os
import tempfile
import urllib.request

import pytest

from deploy.serve import NGINX, Replicas
from tests.browser.server import free_port

pytestmark = pytest.mark.skipif(not os.path.exists(NGINX), reason="nginx is missing: `make test` installs Debian's nginx")


@pytest.fixture(scope="module")
def proxy():
    env = {"SAE_PLAYGROUND_BACKGROUND": "0", "SAE_PLAYGROUND_CACHE": tempfile.mkdtemp(prefix="sae-replicas-")}
    ports = _distinct_free_ports(3)
    with Replicas(2, ports[0], address="127.0.0.1", env=env, replica_ports=ports[1:]) as replicas:
        yield replicas


def _distinct_free_ports(n: int) -> list[int]:
    ports: list[int] = []
    while len(ports) < n:
        port = free_port()
        if port not in ports:
            ports.append(port)
    return ports


def _replica(url: str, cookie: str | None = None) -> tuple[str, str | None]:
    request = urllib.request.Request(url, headers={"Cookie": f"sae_replica={cookie}"} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers["X-Replica"], response.headers.get("Set-Cookie")


@pytest.mark.slow  # starts nginx and two servers
def test_new_visitors_are_spread_over_both_replicas_and_told_which_key_is_theirs(proxy):
    url = f"http://127.0.0.1:{proxy.port}/"
    seen = {_replica(url)[0] for _ in range(24)}
    assert seen == {f"127.0.0.1:{port}" for port in proxy.replica_ports}
    _, cookie = _replica(url)
    assert cookie and cookie.startswith("sae_replica=")
    key = cookie.split(";")[0].split("=", 1)[1]
    assert len({_replica(url, key)[0] for _ in range(10)}) == 1  # the same key, the same replica


def _keys_for_each_replica(proxy) -> dict[str, str]:
    url, keys = f"http://127.0.0.1:{proxy.port}/_stcore/health", {}
    for i in range(200):
        keys.setdefault(_replica(url, f"k{i}")[0], f"k{i}")
        if len(keys) == len(proxy.replica_ports):
            return keys
    raise AssertionError(f"200 keys all hashed to {set(keys)}")


def test_the_compose_proxy_keeps_the_same_rules_as_the_tested_template():
    from pathlib import Path

    deploy = Path(__file__).resolve().parents[2] / "deploy"
    template = (deploy / "nginx.conf.template").read_text()
    compose = (deploy / "nginx.compose.conf").read_text()
    for rule in ("hash $affinity_key consistent;", '""      $request_id;', "proxy_set_header Upgrade $http_upgrade;",
                 "proxy_set_header Connection $connection_upgrade;", "add_header Set-Cookie $affinity_cookie always;",
                 "proxy_read_timeout 86400s;"):
        assert rule in template and rule in compose, rule
