"""The vector editor's wire format, both directions, in one place (its JavaScript is the other half:
components/web/vector_editor.js reads `to_editor` and sends what `from_editor` reads).

To the editor: {entries, lo, hi, step, labels, appliedSeq}. From it: {entries, seq}; `seq` numbers each value it
sends, and the editor keeps what it shows until `appliedSeq` says the page has applied its latest value.
"""

from __future__ import annotations

import math
from app_core.state.norms import ENTRY_RANGE, ENTRY_STEP, N_ENTRIES, NormsState, with_entries
from app_core.wire.sequence import sequence_number  # noqa: F401  (one protocol for every component)


def to_editor(state: NormsState, labels: list[str], applied_seq: int = 0) -> dict:
    """What the editor draws; `applied_seq` is the number of the last editor value the page has applied."""
    lo, hi = ENTRY_RANGE
    return {"entries": list(state.entries), "lo": lo, "hi": hi, "step": ENTRY_STEP, "labels": list(labels),
            "appliedSeq": applied_seq}


def from_editor(state: NormsState, value) -> NormsState:
    """`state` with the entries the editor sent, each clamped into range and onto the step grid (as a slider
    would send it). Anything malformed raises ValueError and leaves the caller's state untouched."""
    entries = value.get("entries") if isinstance(value, dict) else None
    if not isinstance(entries, (list, tuple)) or len(entries) != N_ENTRIES:
        raise ValueError(f"the vector editor must send {N_ENTRIES} entries")
    for entry in entries:
        if isinstance(entry, bool) or not isinstance(entry, (int, float)) or not math.isfinite(entry):
            raise ValueError("the vector editor sent an entry that is not a finite number")
    return with_entries(state, entries)
