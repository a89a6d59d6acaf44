from components.marker_drag import dropped_point


def test_a_release_gives_its_point_once():
    sent = {"point": {"x": -3.0, "y": 2.0, "seq": 1, "at": 1700}}
    x, y, stamp = dropped_point(sent, None)
    assert (x, y) == (-3.0, 2.0)
    assert dropped_point(sent, stamp) is None  # the same trigger reaching a second run


def test_nothing_sent_or_a_tampered_message_gives_nothing():
    for value in (None, {}, {"point": None}, {"point": {"x": "left", "y": 1, "seq": 2}},
                  {"point": {"x": float("nan"), "y": 1.0, "seq": 3}}, {"point": {"y": 1.0, "seq": 4}},
                  {"point": [1, 2]}):
        assert dropped_point(value, None) is None, value
