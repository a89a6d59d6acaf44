"""What a visitor is told about their share of the machine."""

from components.live_session import share_message


def test_a_shared_run_says_its_rate_and_how_many_share():
    text = share_message(40.4, 12)
    assert text.startswith("40 steps/s") and "12 runs are training" in text


def test_alone_or_not_yet_measured_says_nothing():
    assert share_message(900.0, 1) is None and share_message(None, 5) is None
