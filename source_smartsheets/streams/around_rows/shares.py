"""`sheet_shares`: who has access to each selected sheet (`GET /shares?assetType=sheet`, token-paged by 100: one
request per sheet for its own shares and those that come from its workspace, two while the API has not shown that
one answer holds both). Sharing is not among what moves a sheet's version (docs/smartsheet-api.md), so a sheet's
shares are asked on its recheck turn (`recheck.py`), as the other changes that do not move it; each sync emits the
records that are new or changed, and deletes those whose access ended (with `capture_deletes`)."""

from __future__ import annotations

import logging
from typing import Any, Iterable

from ...client import SmartsheetClient
from ...discovery import ObjectRef
from ...fetch.responses import Response
from ...schema_mapping.account import SHARE_PROPERTIES, share_records
from ...timestamps import format_time
from .base import AroundRowsStream

logger = logging.getLogger("airbyte")
SHARES = Response("shares", SmartsheetClient.sheet_shares)


class SheetSharesStream(AroundRowsStream):
    """Primary key (`sheet_id`, `principal_id`): one record per user or group with access; cursor `observed_at`."""

    stream_name = "sheet_shares"
    response = SHARES
    id_field = "principal_id"
    cursor_name = "observed_at"
    properties = SHARE_PROPERTIES
    unchanging = frozenset({"observed_at"})  # emitted again only when the access changes

    def records(self, ref: ObjectRef, fetched: Any) -> Iterable[dict[str, Any]]:
        records, skipped = share_records(ref.id, ref.stream_name, fetched, format_time(self.context.now))
        for share in skipped:
            logger.warning("Stream %s: sheet %s: %s names no user or group by number; it is left out.", self.name, ref.id, share)
        return records
