"""Walk a sheet page by page (shared/smartsheet-api.md: GET /sheets/{id} paging)."""

from __future__ import annotations

import math
from typing import Any, Iterator, Mapping

from ..client import SmartsheetClient

# Typed multi-value columns need level=2 with objectValue; writerInfo adds createdBy/modifiedBy.
READ_PARAMS = {"level": 2, "include": "objectValue,writerInfo"}


class MalformedSheet(ValueError):
    """A page that is not what the API promises."""


def walk_pages(
    client: SmartsheetClient,
    sheet_id: int,
    page_size: int,
    extra: Mapping[str, Any] | None = None,
) -> Iterator[dict[str, Any]]:
    """Every page of a sheet, in order, fetched as it is consumed.

    A page past the end repeats the last page instead of coming back empty, and with
    `rowsModifiedSince` a page in the middle can be empty while later ones are not (paging comes
    before the filter): so the walk stops on `totalRowCount`, re-read on every page, never on an
    empty page.
    """
    page = 1
    while True:
        body: dict[str, Any] | None = client.sheet_page(
            sheet_id, {**READ_PARAMS, **(extra or {}), "page": page, "pageSize": page_size}
        )
        assert body is not None
        total = body.get("totalRowCount")
        if not isinstance(total, int) or not isinstance(body.get("columns"), list):
            raise MalformedSheet(f"page {page} of sheet {sheet_id} has no totalRowCount or columns")
        yield body
        body = None  # hold one page at a time: let the last one go before the next arrives
        if page >= max(1, math.ceil(total / page_size)):
            return
        page += 1
