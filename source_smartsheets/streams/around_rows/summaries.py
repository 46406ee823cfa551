"""The sheet summaries: `sheet_summaries`, the portfolio table (one record per sheet, one field per summary
title), and `sheet_summary_fields`, the long form (one record per sheet and summary field).

Both read `GET /sheets/{id}/summary` for a sheet on its recheck turn (`recheck.py`): the API does not say that a
summary edit moves the sheet's version. The portfolio table's schema needs every
sheet's summary titles at discover: they ride on the first page discover fetches anyway (`include=summary`, where
the API answers it), else a sheet whose first page says `hasSummaryFields: false` costs nothing more, any other
one request.
"""

from __future__ import annotations

import logging
from typing import Any, Iterable, Mapping

from ...client import SmartsheetClient
from ...discovery import ObjectRef
from ...errors import skipped_if_gone
from ...fetch.responses import Response
from ...progress_lines import object_label
from ...schema_mapping.around_rows import SUMMARY_FIELD_PROPERTIES, summary_field_record
from ...schema_mapping.sheet_fields import DELETED_SCHEMA, declared_fields, object_schema
from ...schema_mapping.summary_fields import (
    SUMMARY_CURSOR,
    SUMMARY_KEY,
    summary_columns,
    summary_record,
    summary_table_properties,
)
from .base import AroundRowsStream


def _summary_of(head: Mapping[str, Any]) -> list[dict[str, Any]] | None:
    """The summary fields a first page carries (asked with include=summary), or None where the answer has none."""
    summary = head.get("summary")
    return list(summary.get("fields") or []) if isinstance(summary, Mapping) else None


# Read by two streams: fetched once, or taken from the sheet's first page when a read in this run carried it.
SUMMARY = Response("summary", SmartsheetClient.sheet_summary, from_head=_summary_of)

logger = logging.getLogger("airbyte")


class SheetSummariesStream(AroundRowsStream):
    """One record per sheet: its summary fields as typed fields. Primary key `_ss_sheet_id`."""

    stream_name = "sheet_summaries"
    response = SUMMARY
    id_field = sheet_field = SUMMARY_KEY
    cursor_name = SUMMARY_CURSOR
    _schema: dict[str, Any] | None = None

    def get_json_schema(self) -> Mapping[str, Any]:  # type: ignore[override]
        """The union of every selected sheet's summary titles (one request per sheet that may have a summary, where its
        first page did not carry them). Reads never ask for it: they follow the configured catalog."""
        if self._schema is None:
            wanted = [ref for ref in self._refs if self._may_have_summary(ref.id)]
            self.context.responses.plan(SUMMARY, [ref.id for ref in wanted])
            per_sheet = []
            for ref in wanted:
                with skipped_if_gone(object_label("sheet", ref.id, ref.name), self._titles_left_out, self._config.token_home):
                    per_sheet.append(self.context.responses.take(SUMMARY, ref.id))
            deleted = DELETED_SCHEMA if self._config.capture_deletes else None
            self._schema = object_schema(summary_table_properties(summary_columns(per_sheet), deleted), self.name)
        return self._schema

    def _titles_left_out(self, why: str) -> None:
        logger.warning("Stream %s: %s Its summary titles are left out.", self.name, why)

    def _may_have_summary(self, sheet_id: int) -> bool:
        head = self.context.responses.known_head(sheet_id)
        return head is None or head.get("hasSummaryFields") is not False  # absent: not known, so asked (or ridden)

    def records(self, ref: ObjectRef, fetched: Any) -> Iterable[dict[str, Any]]:
        declared = declared_fields(self.configured_json_schema) or self.get_json_schema()["properties"]
        yield summary_record(ref.id, ref.stream_name, ref.name, fetched, declared)


class SummaryFieldsStream(AroundRowsStream):
    """One record per sheet and summary field. Primary key (`sheet_id`, `field_id`)."""

    stream_name = "sheet_summary_fields"
    response = SUMMARY
    id_field = "field_id"
    cursor_name = "modified_at"
    properties = SUMMARY_FIELD_PROPERTIES

    def records(self, ref: ObjectRef, fetched: Any) -> Iterable[dict[str, Any]]:
        return [summary_field_record(ref.id, ref.stream_name, summary) for summary in fetched]
