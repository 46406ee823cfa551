"""An emulated Smartsheet account: its objects, its tokens, and the mutations tests make between syncs."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from typing import Any, Iterable

from .clock import Clock, utc
from .model import (
    SYSTEM_COLUMN_TYPES,
    Attachment,
    CellEdit,
    Column,
    Comment,
    Dashboard,
    Discussion,
    Folder,
    Group,
    Report,
    Row,
    Share,
    Sheet,
    SummaryField,
    Template,
    User,
    Widget,
    Workspace,
)


def token_for(world_name: str) -> str:
    """Each world's own access token: `emulator-edge-token`."""
    return f"emulator-{world_name}-token"


DEFAULT_TOKEN = token_for("demo")  # the demo world's token


@dataclass
class TokenGrant:
    """What one access token may see. `expired` tokens answer 401/1003."""

    user: User
    expired: bool = False
    revoked_sheet_ids: set[int] = field(default_factory=set)
    admin: bool = True  # a System Admin's token: `GET /users` and `GET /groups` list the organisation


@dataclass
class OAuthClient:
    client_id: str
    client_secret: str
    refresh_tokens: dict[str, User] = field(default_factory=dict)
    auth_codes: dict[str, User] = field(default_factory=dict)  # consent given: a code for one exchange


class World:
    """All objects of one account, with deterministic ids and a clock the caller controls."""

    def __init__(self, name: str, seed: int = 1, clock: Clock | None = None) -> None:
        self.name = name
        self.clock = clock or Clock(utc(2026, 1, 5, 9, 0, 0))
        self.lock = threading.RLock()
        # Moves on every change made through this class (a response cache keys on it).
        self.generation = 0
        # Adding or editing a discussion or comment moves the sheet's version, as the API documents ("What moves a
        # sheet's version", docs/smartsheet-api.md). Whether a deleted comment, a plain new attachment or a summary
        # edit does, it does not say: by default they do not; True plays the other answer.
        self.unlisted_changes_move_version = False
        # Whether `GET /sheets/{id}` says `hasSummaryFields`: the docs' example does, no live recording shows it.
        self.sheets_say_has_summary_fields = True
        # Whether `GET /sheets/{id}?include=summary` answers the sheet's `summary`: Smartsheet's SDKs offer the include,
        # the REST reference does not list it (docs/smartsheet-api.md "Around rows"); the emulator plays both answers.
        self.sheet_reads_include_summary = True
        # Whether `GET /sheets?include=source` says each sheet's source: documented for children and sheet reads only.
        self.listing_says_source = False
        # What `GET /users` and `GET /groups` answer a token that is not a System Admin's: "403", or "self" (the users
        # listing holds only the token's own user, the groups listing the groups it belongs to). The docs allow both.
        self.listings_for_non_admins = "403"
        # The API before 2026-06-03: `GET /templates` and `GET /sheets/{id}/shares` answer, and `GET /sights` pages by
        # `page`/`includeAll`. False (today's API): the first two answer 404, `GET /sights` is token-paged only.
        self.old_api = False
        # What `GET /shares?sharingInclude=WORKSPACE` answers is not settled: the sheet's own shares and those it inherits
        # from its workspace ("both", as the facts' "also" reads), or only the inherited ones ("inherited").
        self.workspace_scope_shares = "both"
        self._random = random.Random(seed)
        self._used_ids: set[int] = set()
        self.users: list[User] = []
        self.tokens: dict[str, TokenGrant] = {}
        self.oauth_clients: dict[str, OAuthClient] = {}
        self.sheets: dict[int, Sheet] = {}
        self.folders: dict[int, Folder] = {}
        self.workspaces: dict[int, Workspace] = {}
        self.reports: dict[int, Report] = {}
        self.templates: dict[int, Template] = {}
        self.groups: dict[int, Group] = {}
        self.dashboards: dict[int, Dashboard] = {}
        self.home_sheet_ids: list[int] = []
        self.owner = self.add_user("owner@example.com", "Olivia", "Owner")
        self.token = token_for(name)  # the owner's token
        self.add_token(self.token, self.owner)

    # ----- ids and users -----------------------------------------------------------------
    def new_id(self) -> int:
        """A 15-16 digit id below 2**53, like the live service's (unit_tests/resources/api-samples/README.md)."""
        while True:
            candidate = self._random.randrange(10**15, 2**53)
            if candidate not in self._used_ids:
                self._used_ids.add(candidate)
                return candidate

    def add_user(self, email: str, first_name: str, last_name: str) -> User:
        user = User(self.new_id(), email, first_name, last_name)
        self.users.append(user)
        return user

    def add_token(self, token: str, user: User | None = None, admin: bool = True) -> TokenGrant:
        grant = TokenGrant(user or self.owner, admin=admin)
        self.tokens[token] = grant
        return grant

    def add_group(self, name: str, members: Iterable[User]) -> Group:
        group = Group(self.new_id(), name, self.owner, list(members))
        self.groups[group.id] = group
        return group

    def share(self, item: Sheet | Workspace, grantee: User | Group, access_level: str = "VIEWER") -> Share:
        """Share a sheet (or a workspace, and so every sheet in it). Sharing moves no sheet's version."""
        with self.lock:
            self.generation += 1
            share = Share(grantee, access_level)
            item.shares.append(share)
            return share

    def add_dashboard(self, name: str, widgets: Iterable[tuple[str, str, Sheet | Report | None]]) -> Dashboard:
        """A dashboard; each widget: (type, title, the sheet or report it shows, or None)."""
        now = self.clock.now()
        dashboard = Dashboard(self.new_id(), name, now, now)
        for kind, title, shown in widgets:
            sheet_id = shown.id if isinstance(shown, Sheet) else None
            report_id = shown.id if isinstance(shown, Report) else None
            dashboard.widgets.append(Widget(kind, title, sheet_id, report_id))
        self.dashboards[dashboard.id] = dashboard
        return dashboard

    # ----- containers --------------------------------------------------------------------
    def add_workspace(self, name: str) -> Workspace:
        now = self.clock.now()
        workspace = Workspace(self.new_id(), name, now, now)
        self.workspaces[workspace.id] = workspace
        return workspace

    def add_folder(self, name: str, parent: Folder) -> Folder:
        now = self.clock.now()
        folder = Folder(self.new_id(), name, now, now)
        self.folders[folder.id] = folder
        parent.folder_ids.append(folder.id)
        return folder

    def add_template(self, name: str, parent: Folder | None = None, description: str | None = None) -> Template:
        """A template, kept in a workspace or folder (`parent`) or in none (then no listing names it)."""
        template = Template(self.new_id(), name, self.clock.now(), description)
        self.templates[template.id] = template
        if parent is not None:
            parent.template_ids.append(template.id)
        return template

    def add_sheet(
        self, name: str, columns: Iterable[Column], parent: Folder | None = None, source: Template | Sheet | None = None
    ) -> Sheet:
        """A new sheet; `source`: the template or sheet it is made from (the API's `source {id, type}`)."""
        now = self.clock.now()
        sheet = Sheet(self.new_id(), name, list(columns), [], now, now, self.owner)
        sheet.shares.append(Share(self.owner, "OWNER"))
        if source is not None:
            sheet.source = (source.id, "template" if isinstance(source, Template) else "sheet")
        if not any(column.primary for column in sheet.columns) and sheet.columns:
            sheet.columns[0].primary = True
        self.sheets[sheet.id] = sheet
        if parent is None:
            self.home_sheet_ids.append(sheet.id)
        else:
            parent.sheet_ids.append(sheet.id)
            sheet.workspace_id = self.workspace_of(parent).id
        return sheet

    def add_report(self, name: str, sources: list[Sheet], parent: Folder) -> Report:
        now = self.clock.now()
        report = Report(self.new_id(), name, [sheet.id for sheet in sources], now, now)
        self.reports[report.id] = report
        parent.report_ids.append(report.id)
        return report

    def column(self, title: str, type_: str = "TEXT_NUMBER", **extra: Any) -> Column:
        """A new column; a system column's `type_` is its system type (AUTO_NUMBER, CREATED_BY, ...)."""
        if type_ in SYSTEM_COLUMN_TYPES:
            extra.setdefault("system_column_type", type_)
            type_ = SYSTEM_COLUMN_TYPES[type_]
        return Column(self.new_id(), title, type_, **extra)

    def workspace_of(self, container: Folder) -> Workspace:
        if isinstance(container, Workspace):
            return container
        for workspace in self.workspaces.values():
            if self._contains_folder(workspace, container.id):
                return workspace
        raise KeyError(container.id)

    def _contains_folder(self, container: Folder, folder_id: int) -> bool:
        if folder_id in container.folder_ids:
            return True
        return any(self._contains_folder(self.folders[child], folder_id) for child in container.folder_ids)

    def sheet_named(self, name: str) -> Sheet:
        matches = [sheet for sheet in self.sheets.values() if sheet.name == name]
        if len(matches) != 1:
            raise KeyError(f"{len(matches)} sheets named {name!r}")
        return matches[0]

    def workspace_named(self, name: str) -> Workspace:
        return next(ws for ws in self.workspaces.values() if ws.name == name)

    # ----- rows ----------------------------------------------------------------------------
    def _cells_by_id(self, sheet: Sheet, values: dict[str, Any]) -> dict[int, Any]:
        return {sheet.column_by_title(title).id: value for title, value in values.items()}

    def add_row(
        self,
        sheet: Sheet,
        values: dict[str, Any],
        parent: Row | None = None,
        user: User | None = None,
    ) -> Row:
        """Append a row (under `parent`, after its last child); values are keyed by column title."""
        with self.lock:
            now = self.clock.now()
            writer = user or sheet.owner
            row = Row(self.new_id(), now, now, writer, writer, parent.id if parent else None)
            row.cells = self._cells_by_id(sheet, values)
            for column in sheet.columns:
                if column.system_column_type == "AUTO_NUMBER":
                    row.auto_numbers[column.id] = _auto_number(column, sheet.next_auto_number)
            if any(column.system_column_type == "AUTO_NUMBER" for column in sheet.columns):
                sheet.next_auto_number += 1
            sheet.rows.insert(self._insert_position(sheet, parent), row)
            self._touch(sheet)
            return row

    def _insert_position(self, sheet: Sheet, parent: Row | None) -> int:
        if parent is None:
            return len(sheet.rows)
        position = sheet.rows.index(parent) + 1
        descendants = {parent.id}
        while position < len(sheet.rows) and sheet.rows[position].parent_id in descendants:
            descendants.add(sheet.rows[position].id)
            position += 1
        return position

    def update_row(self, sheet: Sheet, row: Row, values: dict[str, Any], user: User | None = None) -> None:
        """Change cells; the row's modifiedAt and the sheet's version move, and each cell's history gets the edit."""
        with self.lock:
            writer = user or sheet.owner
            self._record_edits(row, self._cells_by_id(sheet, values), writer)
            row.modified_at = self.clock.now()
            row.modified_by = writer
            self._touch(sheet)

    def _record_edits(self, row: Row, cells: dict[int, Any], writer: User) -> None:
        now = self.clock.now()
        for column_id, value in cells.items():
            history = row.history.setdefault(column_id, row.edits(column_id))
            history.append(CellEdit(value, now, writer))
        row.cells.update(cells)

    def blank_row(self, sheet: Sheet, row: Row) -> None:
        """Clear every cell. Such a row becomes invisible to `rowsModifiedSince`."""
        with self.lock:
            self._record_edits(row, {column_id: None for column_id in row.cells}, sheet.owner)
            row.modified_at = self.clock.now()
            self._touch(sheet)

    def delete_row(self, sheet: Sheet, row: Row) -> None:
        """Delete a row and its children (the service deletes the subtree)."""
        with self.lock:
            doomed = {row.id}
            for candidate in sheet.rows:
                if candidate.parent_id in doomed:
                    doomed.add(candidate.id)
            sheet.rows = [kept for kept in sheet.rows if kept.id not in doomed]
            self._touch(sheet)

    # ----- columns (these never move a row's modifiedAt) --------------------------------------
    def add_column(self, sheet: Sheet, column: Column, index: int | None = None) -> Column:
        with self.lock:
            sheet.columns.insert(len(sheet.columns) if index is None else index, column)
            self._touch(sheet)
            return column

    def rename_column(self, sheet: Sheet, column: Column, title: str) -> None:
        with self.lock:
            column.title = title
            self._touch(sheet)

    def retype_column(self, sheet: Sheet, column: Column, type_: str, options: list[str] | None = None) -> None:
        with self.lock:
            column.type = type_
            column.options = options
            self._touch(sheet)

    def delete_column(self, sheet: Sheet, column: Column) -> None:
        with self.lock:
            sheet.columns.remove(column)
            for row in sheet.rows:
                row.cells.pop(column.id, None)
            self._touch(sheet)

    # ----- summary fields, discussions, comments, attachments -------------------------------
    def add_summary_field(self, sheet: Sheet, title: str, type_: str, value: Any, **extra: Any) -> SummaryField:
        with self.lock:
            now = self.clock.now()
            summary = SummaryField(self.new_id(), title, type_, value, now, now, sheet.owner, sheet.owner, **extra)
            sheet.summary.append(summary)
            self._side_change(sheet)
            return summary

    def set_summary_value(self, sheet: Sheet, summary: SummaryField, value: Any, user: User | None = None) -> None:
        with self.lock:
            summary.value = value
            summary.modified_at = self.clock.now()
            summary.modified_by = user or sheet.owner
            self._side_change(sheet)

    def add_discussion(self, sheet: Sheet, text: str, row: Row | None = None, user: User | None = None) -> Discussion:
        """A discussion on the sheet (or on `row`), opened with its first comment (`text`; empty: none)."""
        with self.lock:
            author = user or sheet.owner
            discussion = Discussion(self.new_id(), "ROW" if row else "SHEET", row.id if row else sheet.id, author)
            sheet.discussions.append(discussion)
            if text:
                self.add_comment(sheet, discussion, text, author)
            else:
                self._touch(sheet)  # documented: add/modify discussion moves the version
            return discussion

    def add_comment(self, sheet: Sheet, discussion: Discussion, text: str, user: User | None = None) -> Comment:
        with self.lock:
            now = self.clock.now()
            comment = Comment(self.new_id(), discussion.id, text, now, now, user or sheet.owner)
            discussion.comments.append(comment)
            self._touch(sheet)  # documented: add/modify comment moves the version
            return comment

    def delete_comment(self, sheet: Sheet, comment: Comment) -> None:
        with self.lock:
            for discussion in sheet.discussions:
                discussion.comments = [kept for kept in discussion.comments if kept.id != comment.id]
            self._side_change(sheet)

    def add_attachment(
        self, sheet: Sheet, name: str, parent: Sheet | Row | Comment, attachment_type: str = "FILE", **extra: Any
    ) -> Attachment:
        """An attachment on the sheet, a row or a comment (FILE: give mime_type and size_in_kb; LINK: url)."""
        with self.lock:
            kind = "SHEET" if isinstance(parent, Sheet) else "ROW" if isinstance(parent, Row) else "COMMENT"
            attachment = Attachment(self.new_id(), name, attachment_type, kind, parent.id, self.clock.now(), sheet.owner, **extra)
            (parent.attachments if isinstance(parent, Comment) else sheet.attachments).append(attachment)
            self._side_change(sheet)
            return attachment

    def _side_change(self, sheet: Sheet) -> None:
        """A change the API does not say moves the version (a deleted comment, a plain attachment, a summary edit)."""
        self.generation += 1
        if self.unlisted_changes_move_version:
            self._touch(sheet)

    # ----- sheets and access --------------------------------------------------------------
    def rename_sheet(self, sheet: Sheet, name: str) -> None:
        with self.lock:
            sheet.name = name
            self._touch(sheet)

    def rename_workspace(self, workspace: Workspace, name: str) -> None:
        """A workspace renamed: its sheets' versions do not move."""
        with self.lock:
            self.generation += 1
            workspace.name = name

    def delete_sheet(self, sheet: Sheet) -> None:
        with self.lock:
            self.generation += 1
            sheet.deleted = True

    def restore_sheet(self, sheet: Sheet) -> None:
        with self.lock:
            self.generation += 1
            sheet.deleted = False

    def revoke(self, sheet: Sheet, token: str | None = None) -> None:
        token = token or self.token
        with self.lock:
            self.generation += 1
            self.tokens[token].revoked_sheet_ids.add(sheet.id)

    def grant(self, sheet: Sheet, token: str | None = None) -> None:
        token = token or self.token
        with self.lock:
            self.generation += 1
            self.tokens[token].revoked_sheet_ids.discard(sheet.id)

    def _touch(self, sheet: Sheet) -> None:
        self.generation += 1
        sheet.version += 1
        sheet.modified_at = self.clock.now()


def _auto_number(column: Column, number: int) -> str:
    fmt = column.auto_number_format or {}
    fill = str(fmt.get("fill", ""))
    return f"{fmt.get('prefix', '')}{str(number).zfill(len(fill))}{fmt.get('suffix', '')}"
