"""The streams: one class per kind of Smartsheet object a config selects (`ObjectRef.kind`), and the streams of
what the selected sheets keep around their rows (one each per config)."""

from __future__ import annotations

from .base import SmartsheetStream
from .discussions import AttachmentsStream, CommentsStream, DiscussionsStream
from .inventory import ColumnsStream, SheetsStream
from .report_stream import ReportStream
from .sheet_parts import SheetPartStream
from .sheet_stream import SheetStream
from .summaries import SheetSummariesStream, SummaryFieldsStream

STREAM_OF_KIND: dict[str, type[SmartsheetStream]] = {"sheet": SheetStream, "report": ReportStream}
SHEET_PART_STREAMS: tuple[type[SheetPartStream], ...] = (
    SheetsStream,
    ColumnsStream,
    SheetSummariesStream,
    SummaryFieldsStream,
    DiscussionsStream,
    CommentsStream,
    AttachmentsStream,
)
