"""What a visitor is told about their share of the machine."""

from components.live_session import share_message


def test_a_shared_run_says_its_rate_and_how_many_share():
    text = share_message(40.4, 12)
    assert text.startswith("40 steps/s") and "12 runs are training" in text


def test_alone_or_not_yet_measured_says_nothing():
    assert share_message(900.0, 1) is None and share_message(None, 5) is None


def test_a_slowed_redraw_is_said_and_an_unslowed_one_is_not():
    assert "redraws every 6 s instead of 1 s" in share_message(40.0, 30, period=6.0, asked=1.0)
    assert "redraws" not in share_message(40.0, 30, period=1.0, asked=1.0)
