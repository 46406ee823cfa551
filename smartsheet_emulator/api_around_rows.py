"""The endpoints around rows (docs/smartsheet-api.md "Around rows"): a sheet's summary, discussions with their
comments, attachments, and columns. Listed in the one route table (`routes.py`) with the rest of the API."""

from __future__ import annotations

from typing import Any

from .access import Access
from .clock import iso
from .model import Attachment, Column, Comment, Discussion, Row, Sheet, SummaryField, User
from .params import int_param, list_param, offset_page
from .protocol import Request
from .render import RenderOptions, render_cell, render_column
from .world import TokenGrant

SUMMARY_VALUES = RenderOptions(level=2, object_value=True)


def _contact(user: User) -> dict[str, str]:
    return {"name": user.name, "email": user.email}


# ----- summary ----------------------------------------------------------------------------------------
def render_summary_field(summary: SummaryField, index: int, writer_info: bool, display: bool) -> dict[str, Any]:
    """A summary field: no `value` key; `objectValue` (a primitive, or an object for contacts and the like),
    `displayValue`, and for a formula the formula (its error text is the value itself)."""
    body: dict[str, Any] = {
        "id": summary.id,
        "index": index,
        "title": summary.title,
        "type": summary.type,
        "locked": summary.locked,
        "lockedForUser": summary.locked,
    }
    if summary.options:
        body["options"] = list(summary.options)
    column = Column(summary.id, summary.title, summary.type, options=summary.options)
    holder = Row(0, summary.created_at, summary.modified_at, summary.created_by, summary.modified_by)
    holder.cells[summary.id] = summary.value
    cell = render_cell(column, holder, SUMMARY_VALUES, {}) or {}
    for key in ("objectValue", "displayValue", "formula", "hyperlink"):
        if key in cell and (display or key != "displayValue"):
            body[key] = cell[key]
    if writer_info:
        body["createdBy"] = _contact(summary.created_by)
    body["createdAt"] = iso(summary.created_at)
    if writer_info:
        body["modifiedBy"] = _contact(summary.modified_by)
    body["modifiedAt"] = iso(summary.modified_at)
    return body


def _summary_fields(sheet: Sheet, request: Request) -> list[dict[str, Any]]:
    writer_info = "writerInfo" in list_param(request.query, "include")
    display = "displayValue" not in list_param(request.query, "exclude")
    return [render_summary_field(summary, index, writer_info, display) for index, summary in enumerate(sheet.summary)]


def sheet_summary_fields(api: Access, grant: TokenGrant, request: Request, sheet_id: int) -> dict[str, Any]:
    sheet = api.sheet(grant, sheet_id)
    fields = _summary_fields(sheet, request)
    return {"fields": fields} if fields else {}  # a sheet with no summary: no `fields` key


def list_summary_fields(api: Access, grant: TokenGrant, request: Request, sheet_id: int) -> dict[str, Any]:
    return offset_page(_summary_fields(api.sheet(grant, sheet_id), request), request.query)


# ----- discussions and comments -----------------------------------------------------------------------
def render_attachment(attachment: Attachment) -> dict[str, Any]:
    """An attachment as list calls show it: never a FILE's temporary download link."""
    body: dict[str, Any] = {
        "id": attachment.id,
        "name": attachment.name,
        "attachmentType": attachment.attachment_type,
        "parentType": attachment.parent_type,
        "parentId": attachment.parent_id,
        "createdAt": iso(attachment.created_at),
        "createdBy": _contact(attachment.created_by),
    }
    if attachment.mime_type:
        body["mimeType"] = attachment.mime_type
    if attachment.size_in_kb is not None:
        body["sizeInKb"] = attachment.size_in_kb
    if attachment.url and attachment.attachment_type != "FILE":
        body["url"] = attachment.url
    return body


def render_comment(comment: Comment, attachments: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": comment.id,
        "discussionId": comment.discussion_id,
        "text": comment.text,
        "createdBy": _contact(comment.created_by),
        "createdAt": iso(comment.created_at),
        "modifiedAt": iso(comment.modified_at),
    }
    if attachments and comment.attachments:
        body["attachments"] = [render_attachment(attachment) for attachment in comment.attachments]
    return body


def render_discussion(discussion: Discussion, comments: bool, attachments: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": discussion.id,
        "title": discussion.title,
        "parentId": discussion.parent_id,
        "parentType": discussion.parent_type,
        "commentCount": len(discussion.comments),
        "accessLevel": "OWNER",
        "readOnly": False,
        "createdBy": _contact(discussion.created_by),
    }
    if discussion.comments:
        last = max(discussion.comments, key=lambda comment: (comment.created_at, comment.id))
        body["lastCommentedAt"] = iso(last.created_at)
        body["lastCommentedUser"] = _contact(last.created_by)
    if comments:
        body["comments"] = [render_comment(comment, attachments) for comment in discussion.comments]
    if attachments:  # a list with include=comments,attachments; a sheet read with include=discussions,attachments
        body["commentAttachments"] = [
            render_attachment(attachment) for comment in discussion.comments for attachment in comment.attachments
        ]
    return body


def list_discussions(api: Access, grant: TokenGrant, request: Request, sheet_id: int) -> dict[str, Any]:
    """Every discussion of the sheet, on the sheet and on its rows; `include=comments[,attachments]`."""
    sheet = api.sheet(grant, sheet_id)
    includes = set(list_param(request.query, "include"))
    comments, attachments = "comments" in includes, "comments" in includes and "attachments" in includes
    discussions = [render_discussion(discussion, comments, attachments) for discussion in sheet.discussions]
    return offset_page(discussions, request.query)


# ----- attachments and columns ------------------------------------------------------------------------
def list_attachments(api: Access, grant: TokenGrant, request: Request, sheet_id: int) -> dict[str, Any]:
    """The sheet's attachments at every level: the sheet, its rows, its comments."""
    sheet = api.sheet(grant, sheet_id)
    on_comments = [attachment for discussion in sheet.discussions for c in discussion.comments for attachment in c.attachments]
    every = sorted([*sheet.attachments, *on_comments], key=lambda attachment: (attachment.created_at, attachment.id))
    return offset_page([render_attachment(attachment) for attachment in every], request.query)


def list_columns(api: Access, grant: TokenGrant, request: Request, sheet_id: int) -> dict[str, Any]:
    sheet = api.sheet(grant, sheet_id)
    options = RenderOptions(level=int_param(request.query, "level", minimum=0) or 0)
    columns = [render_column(column, index, options) for index, column in enumerate(sheet.columns)]
    return offset_page(columns, request.query)
