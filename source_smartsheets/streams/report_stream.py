"""One stream per report: the rows it shows, from all its source sheets. Full refresh only.

Reports have no `rowsModifiedSince` (docs/smartsheet-api.md), so every read is a full read; they need
`level=3` for multi-value columns, and page up to 10,000 rows.
"""

from __future__ import annotations

import logging
import math
import time
from typing import Any, Iterator, Mapping, Sequence

from airbyte_cdk.models import AirbyteMessage

from ..fetch.pages import MalformedSheet
from ..progress_lines import Reading, RowsEmitted
from ..schema_mapping.sheet_fields import SheetFields, project
from .base import ObjectStream, message_factory

logger = logging.getLogger("airbyte")
REPORT_PARAMS = {"level": 3, "include": "objectValue"}
MAX_REPORT_PAGE = 10_000


class ReportStream(ObjectStream):
    """Rows of one report; `_ss_sheet_id` is each row's source sheet."""

    def _sample_page(self, size: int) -> dict[str, Any]:
        return self._client.report_page(self.ref.id, {**REPORT_PARAMS, "pageSize": size, "page": 1})

    def _fields(self, columns: Sequence[Mapping[str, Any]], **options: Any) -> SheetFields:
        return SheetFields(self.ref.id, columns, report=True, **options)

    def _read(self, incremental: bool) -> Iterator[AirbyteMessage]:
        logger.info("%s", Reading(self.label, self.position))
        size = min(self._config.page_size, MAX_REPORT_PAGE)
        make = message_factory(self.name, self.namespace)
        fields: SheetFields | None = None
        page, count = 1, 0
        while True:
            body = self._client.report_page(self.ref.id, {**REPORT_PARAMS, "pageSize": size, "page": page})
            total = body.get("totalRowCount")
            if not isinstance(total, int) or not isinstance(body.get("columns"), list):
                raise MalformedSheet(f"page {page} of report {self.ref.id} has no totalRowCount or columns")
            if fields is None:
                fields = self._fields(body["columns"], declared=self._declared())
            emitted_at = int(time.time() * 1000)
            for row in body.get("rows") or ():
                count += 1
                yield make(project(fields.record(row), self._selected), emitted_at)
            if page >= max(1, math.ceil(total / size)):  # a page past the end repeats the last one
                break
            page += 1
        logger.info("%s", RowsEmitted(self.label, count))
