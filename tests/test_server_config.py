"""The server's configuration, reviewed once and held here: XSRF protection on, CORS at its default, no
development mode, and an upload cap no larger than the loaders' own limits need."""

import tomllib
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"


@pytest.fixture(scope="module")
def config() -> dict:
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))


def test_every_option_is_one_streamlit_knows(config):
    """A misspelt option is ignored without a word, and the setting it meant silently falls back."""
    from streamlit import config as streamlit_config

    known = set(streamlit_config.get_config_options())
    written = {f"{section}.{name}" for section, options in config.items() for name in options}
    assert written - known == set()


def test_cross_site_protections_are_on(config):
    server = config["server"]
    assert server["enableXsrfProtection"] is True
    assert server.get("enableCORS", True) is True  # false would answer every origin
    assert config["global"]["developmentMode"] is False  # true also answers every origin


def test_upload_cap_is_small_and_fits_the_loaders(config):
    from sae_core.data.arrays import MAX_BYTES
    from sae_core.models.persistence import MAX_UNZIPPED_BYTES

    cap_mib = config["server"]["maxUploadSize"]  # Streamlit counts MiB
    assert isinstance(cap_mib, int) and 0 < cap_mib <= 50  # Streamlit's default is 200
    # The largest array the loader takes still gets through, so its own message is the one people see ...
    assert cap_mib * 2**20 >= MAX_BYTES
    # ... and a model zip stored without compression, at the cap, unpacks within the zip loader's limit.
    assert MAX_UNZIPPED_BYTES >= cap_mib * 2**20


def test_the_proxy_in_front_admits_what_the_app_admits(config):
    """nginx refuses a body over its own cap with a bare 413; set a little above the app's, the app's message
    is the one people see."""
    import re

    cap_mib = config["server"]["maxUploadSize"]
    root = CONFIG.parents[1]
    caps = re.findall(r'MAX_BODY = "(\d+)m"', (root / "deploy" / "serve.py").read_text())
    caps += re.findall(r"client_max_body_size (\d+)m;", (root / "deploy" / "nginx.compose.conf").read_text())
    assert len(caps) == 2 and all(int(cap) > cap_mib for cap in caps)
