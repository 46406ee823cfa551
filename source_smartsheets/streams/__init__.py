"""The streams: one class per kind of Smartsheet object a config selects (`ObjectRef.kind`)."""

from __future__ import annotations

from .base import SmartsheetStream
from .report_stream import ReportStream
from .sheet_stream import SheetStream

STREAM_OF_KIND: dict[str, type[SmartsheetStream]] = {"sheet": SheetStream, "report": ReportStream}
