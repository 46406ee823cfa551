"""Every stream class the source knows, one line each: how a config's streams are made (`source._streams`).

A stream of a new kind of Smartsheet object is its class, its record builder and the client's endpoint, plus
its line here; its name is reserved from here for every sheet's stream (`naming.stream_names`).
"""

from __future__ import annotations

from .account import (
    AccountStream,
    DashboardsStream,
    FoldersStream,
    GroupsStream,
    ReportsStream,
    TemplatesStream,
    UsersStream,
    WorkspacesStream,
)
from .around_rows.base import AroundRowsStream
from .around_rows.discussions import AttachmentsStream, CommentsStream, DiscussionsStream
from .around_rows.inventory import ColumnInventoryStream, SheetInventoryStream
from .around_rows.shares import SheetSharesStream
from .around_rows.summaries import SheetSummariesStream, SummaryFieldsStream
from .base import ObjectStream
from .cell_history import CellHistoryStream
from .merged_stream import MergedStream
from .report_stream import ReportStream
from .sheet_stream import SheetStream

# One stream per selected object, by the object's kind (`ObjectRef.kind`).
OBJECT_STREAMS: dict[str, type[ObjectStream]] = {
    "sheet": SheetStream,
    "report": ReportStream,
}
# One stream each per config, over every selected sheet, in catalog order.
AROUND_ROWS: tuple[type[AroundRowsStream], ...] = (
    SheetInventoryStream,
    ColumnInventoryStream,
    SheetSummariesStream,
    SummaryFieldsStream,
    DiscussionsStream,
    CommentsStream,
    AttachmentsStream,
    SheetSharesStream,
)
AROUND_ROWS_NAMES = frozenset(stream.stream_name for stream in AROUND_ROWS)
# One per merged group of sheets (`merge_streams`).
MERGED = MergedStream
# One over every selected sheet, offered when `cell_history_columns` names columns (`CellHistoryStream.offered`).
CELL_HISTORY = CellHistoryStream
# One each per config: the account around the sheets.
ACCOUNT: tuple[type[AccountStream], ...] = (
    WorkspacesStream,
    FoldersStream,
    ReportsStream,
    DashboardsStream,
    TemplatesStream,
    UsersStream,
    GroupsStream,
)
# Names no sheet's stream takes (a sheet called so gets `_<sheet id>`).
RESERVED_NAMES = frozenset(
    [*(stream.stream_name for stream in AROUND_ROWS), CELL_HISTORY.stream_name, *(stream.stream_name for stream in ACCOUNT)]
)
