from app_core.wire import canvas_wire, editor_wire
from app_core.wire.sequence import is_new, sequence_number


def test_a_sent_values_number_is_read_and_anything_else_is_none():
    assert sequence_number({"index": 2, "seq": 1_765_000_000_000_001}) == 1_765_000_000_000_001
    assert sequence_number({"seq": "4"}) == sequence_number({"seq": True}) == sequence_number({"seq": 4.0}) == 0
    assert sequence_number(None) == sequence_number([("seq", 4)]) == 0


def test_every_components_wire_reads_the_same_protocol():
    assert canvas_wire.sequence_number is editor_wire.sequence_number is sequence_number


def test_a_value_is_new_only_when_numbered_above_the_one_applied():
    assert is_new({"seq": 8}, {"seq": 7}) and is_new({"seq": 1}, None)
    assert not is_new({"seq": 7}, {"seq": 7}) and not is_new({"seq": 6}, {"seq": 7})  # a resend, a late one
    assert not is_new({"entries": []}, None) and not is_new(None, None)  # unnumbered, or nothing sent
