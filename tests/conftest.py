import pytest

from sae_core.live import background


@pytest.fixture(autouse=True)
def no_training_thread_outlives_its_test():
    # A runner left training (a page left playing) would share the cores with later tests.
    yield
    background.close_all()
