import pytest

from sae_core.live.slots import TrainingSlots


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def test_capacity_queue_order_and_release():
    slots = TrainingSlots(capacity=2, ttl=10, clock=Clock())
    assert slots.acquire("a") and slots.acquire("b")
    assert not slots.acquire("c") and not slots.acquire("d")
    assert slots.position("c") == 1 and slots.position("d") == 2
    assert slots.acquire("a")  # holders keep their slot
    slots.release("a")
    assert not slots.acquire("d"), "d must wait: c arrived first"
    assert slots.acquire("c") and slots.position("c") == 0
    assert slots.in_use() == 2


def test_silent_owners_expire():
    clock = Clock()
    slots = TrainingSlots(capacity=1, ttl=10, clock=clock)
    assert slots.acquire("gone")
    assert not slots.acquire("waiting")
    clock.t = 11  # "gone" closed its tab and stopped sending heartbeats
    assert slots.acquire("waiting")
    assert slots.position("gone") == -1


def test_capacity_must_be_positive():
    with pytest.raises(ValueError):
        TrainingSlots(0)
