"""The emulated account's objects: sheets, columns, rows, cells, folders, workspaces, reports, users, and what
teams keep around rows: summary fields, discussions, comments, attachments (docs/smartsheet-api.md "Around rows")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

COLUMN_TYPES = (
    "TEXT_NUMBER",
    "DATE",
    "DATETIME",
    "ABSTRACT_DATETIME",
    "CHECKBOX",
    "PICKLIST",
    "MULTI_PICKLIST",
    "CONTACT_LIST",
    "MULTI_CONTACT_LIST",
    "DURATION",
    "PREDECESSOR",
)
SYSTEM_COLUMN_TYPES = {
    "AUTO_NUMBER": "TEXT_NUMBER",
    "CREATED_DATE": "DATETIME",
    "MODIFIED_DATE": "DATETIME",
    "CREATED_BY": "CONTACT_LIST",
    "MODIFIED_BY": "CONTACT_LIST",
}


@dataclass
class User:
    id: int
    email: str
    first_name: str
    last_name: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def contact(self) -> dict[str, str]:
        return {"email": self.email, "name": self.name}


@dataclass
class Column:
    id: int
    title: str
    type: str
    primary: bool = False
    system_column_type: str | None = None
    options: list[str] | None = None
    auto_number_format: dict[str, Any] | None = None
    formula: str | None = None
    hidden: bool = False
    width: int = 150
    description: str | None = None

    @property
    def version(self) -> int:
        """0 plain, 1 MULTI_CONTACT_LIST, 2 MULTI_PICKLIST: the true kind even when `type` is downgraded."""
        return {"MULTI_CONTACT_LIST": 1, "MULTI_PICKLIST": 2}.get(self.type, 0)


@dataclass
class Contact:
    """A contact cell value; `email` is None for free text."""

    name: str
    email: str | None = None


@dataclass
class Duration:
    """A duration value; rendered as `"4d 6h 30m"` and as a DURATION objectValue."""

    weeks: float = 0
    days: float = 0
    hours: float = 0
    minutes: float = 0
    seconds: float = 0
    negative: bool = False
    elapsed: bool = False

    def text(self) -> str:
        parts = []
        for amount, unit in ((self.weeks, "w"), (self.days, "d"), (self.hours, "h"), (self.minutes, "m"), (self.seconds, "s")):
            if amount:
                parts.append(f"{_compact(amount)}{unit}")
        body = " ".join(parts) or "0d"
        return ("-" if self.negative else "") + ("e" if self.elapsed else "") + body


@dataclass
class Predecessor:
    row_id: int
    type: str = "FS"
    lag: Duration | None = None


@dataclass
class Cell:
    """A cell with more than a plain value: a formula (whose error text is the value) or a hyperlink."""

    value: Any = None
    formula: str | None = None
    hyperlink: dict[str, Any] | None = None


@dataclass
class CellEdit:
    """One entry of a cell's history: the value it was given, when and by whom."""

    value: Any
    at: datetime
    by: User


@dataclass
class Row:
    id: int
    created_at: datetime
    modified_at: datetime
    created_by: User
    modified_by: User
    parent_id: int | None = None
    expanded: bool = True
    # column id -> plain value, Contact, Duration, list, Cell, or None (touched, then cleared).
    # A column id that is absent never held data (`exclude=nonexistentCells` drops it).
    cells: dict[int, Any] = field(default_factory=dict)
    auto_numbers: dict[int, str] = field(default_factory=dict)
    # column id -> its edits, oldest first, for the cells edited since the row was added (`World.update_row`); a cell
    # never edited has one entry, its value as the row was added (`edits`).
    history: dict[int, list[CellEdit]] = field(default_factory=dict)

    def edits(self, column_id: int) -> list[CellEdit]:
        """The cell's history, oldest first (empty: the cell never held anything)."""
        if column_id in self.history:
            return self.history[column_id]
        if column_id in self.cells:
            return [CellEdit(self.cells[column_id], self.created_at, self.created_by)]
        return []

    def is_blank(self) -> bool:
        return all(_is_empty(value) for value in self.cells.values()) and not self.auto_numbers


@dataclass
class SummaryField:
    """A sheet summary field: typed like a column, its value held like a cell's (a plain value, Contact, Cell...)."""

    id: int
    title: str
    type: str
    value: Any
    created_at: datetime
    modified_at: datetime
    created_by: User
    modified_by: User
    options: list[str] | None = None
    locked: bool = False


@dataclass
class Attachment:
    id: int
    name: str
    attachment_type: str  # FILE, LINK, GOOGLE_DRIVE, ...
    parent_type: str  # SHEET, ROW, COMMENT
    parent_id: int
    created_at: datetime
    created_by: User
    mime_type: str | None = None
    size_in_kb: int | None = None  # FILE only
    url: str | None = None  # a LINK's address; a FILE's download link is made per request and expires


@dataclass
class Comment:
    id: int
    discussion_id: int
    text: str
    created_at: datetime
    modified_at: datetime
    created_by: User
    attachments: list[Attachment] = field(default_factory=list)


@dataclass
class Discussion:
    id: int
    parent_type: str  # SHEET or ROW
    parent_id: int
    created_by: User
    comments: list[Comment] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The first 100 characters of the first comment."""
        return self.comments[0].text[:100] if self.comments else ""


@dataclass
class Sheet:
    id: int
    name: str
    columns: list[Column]
    rows: list[Row]
    created_at: datetime
    modified_at: datetime
    owner: User
    version: int = 1
    workspace_id: int | None = None
    deleted: bool = False
    next_auto_number: int = 1
    source: tuple[int, str] | None = None  # (id, "template" or "sheet"): what the sheet was made from
    summary: list[SummaryField] = field(default_factory=list)
    discussions: list[Discussion] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)  # sheet- and row-level (comments hold their own)
    shares: list[Share] = field(default_factory=list)  # the owner's share comes first, made with the sheet

    def column(self, column_id: int) -> Column:
        for column in self.columns:
            if column.id == column_id:
                return column
        raise KeyError(column_id)

    def column_by_title(self, title: str) -> Column:
        for column in self.columns:
            if column.title == title:
                return column
        raise KeyError(title)

    def row(self, row_id: int) -> Row:
        for row in self.rows:
            if row.id == row_id:
                return row
        raise KeyError(row_id)


@dataclass
class Group:
    """A group of the organisation (`GET /groups`)."""

    id: int
    name: str
    owner: User
    members: list[User] = field(default_factory=list)


@dataclass
class Share:
    """Who has access to a sheet or workspace: a user or a group, at an access level."""

    grantee: User | Group
    access_level: str  # VIEWER, EDITOR, EDITOR_SHARE, ADMIN, OWNER


@dataclass
class Dashboard:
    """A dashboard ("sight" in the API) whose widgets show sheets and reports."""

    id: int
    name: str
    created_at: datetime
    modified_at: datetime
    widgets: list[Widget] = field(default_factory=list)


@dataclass
class Widget:
    """A dashboard widget: its type (GRID, CHART, METRIC, RICHTEXT...), title, and the sheet or report it shows."""

    type: str
    title: str
    sheet_id: int | None = None
    report_id: int | None = None


@dataclass
class Folder:
    id: int
    name: str
    created_at: datetime
    modified_at: datetime
    sheet_ids: list[int] = field(default_factory=list)
    folder_ids: list[int] = field(default_factory=list)
    report_ids: list[int] = field(default_factory=list)
    template_ids: list[int] = field(default_factory=list)  # listed as children with `childrenResourceTypes=sheets,templates`


@dataclass
class Workspace(Folder):
    access_level: str = "OWNER"
    shares: list[Share] = field(default_factory=list)  # inherited by every sheet in it (`include=workspaceShares`)


@dataclass
class Template:
    """A user-created template that sheets are made from, listed as a child of the workspace or folder that holds it
    (`GET /templates` was switched off on 2026-06-03; `world.old_api` still answers it)."""

    id: int
    name: str
    created_at: datetime
    description: str | None = None  # a child's `description` may be absent


@dataclass
class Report:
    id: int
    name: str
    source_sheet_ids: list[int]
    created_at: datetime
    modified_at: datetime


def _is_empty(value: Any) -> bool:
    if isinstance(value, Cell):
        return value.value is None and value.formula is None
    return value is None or value == "" or value == []


def _compact(amount: float) -> str:
    return str(int(amount)) if float(amount).is_integer() else str(amount)
