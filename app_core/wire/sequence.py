"""The sequence/ack protocol every component of the app speaks: each value a component sends carries `seq`,
larger than any it sent before; the page echoes the last one it applied back as `appliedSeq`, and the component
keeps what it shows until then (components/web/lifecycle.js is the other half)."""

from __future__ import annotations


def sequence_number(value) -> int:
    """The number a component gave a value it sent (0 when it has none, or it is not an integer)."""
    seq = value.get("seq") if isinstance(value, dict) else None
    return seq if isinstance(seq, int) and not isinstance(seq, bool) else 0


def is_new(value, applied) -> bool:
    """Whether `value`, sent by a component, is numbered above `applied`, the last value the page applied from it:
    a resend of one already applied, an older one or an unnumbered one is not."""
    return sequence_number(value) > max(0, sequence_number(applied))
