"""When a stream around rows asks a sheet again for what does not move its version (docs/costs.md, "Around rows").

Smartsheet documents that adding or editing a discussion or comment, a row, a cell or a version attachment moves
a sheet's `version` ("Get Sheet Version", docs/smartsheet-api.md); it does not say so of summary field edits,
plain attachments, deleted discussions and comments, or sharing. Those are rechecked on a schedule: every selected
sheet is asked at least once in each `around_rows_recheck_hours` window.

Each sheet's turn is fixed by a phase derived from its id: the sheet is due in a sync when a moment `phase + k *
window` (k whole) falls after the last complete pass and at or before now. So each sync pays an even share of the
sheets (about N x time-since-last-pass / window), the load needs no per-sheet state, and there is no burst one
window after an upgrade or a reset. A window of 0 asks every sheet every sync. Pure, table-tested.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta


def phase(sheet_id: int, window: timedelta) -> float:
    """The sheet's place in the window, in seconds from the epoch's window boundaries."""
    digest = hashlib.blake2b(sheet_id.to_bytes(8, "big", signed=False), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64 * window.total_seconds()


def due(sheet_id: int, last_pass: datetime | None, now: datetime, window: timedelta) -> bool:
    """Whether the sheet's turn came between the last complete pass (None: never) and now."""
    if last_pass is None or window <= timedelta(0) or now - last_pass >= window:
        return True
    if now <= last_pass:
        return False
    seconds = window.total_seconds()
    start, end = last_pass.timestamp(), now.timestamp()
    turn = phase(sheet_id, window)
    # The first moment of the sheet's turn strictly after `start`.
    first = turn + seconds * ((start - turn) // seconds + 1)
    return first <= end
