"""Discussions, their comments, and attachments: one request per sheet and sync for each response
(`GET /sheets/{id}/discussions?include=comments,attachments&includeAll=true`, `GET /sheets/{id}/attachments?includeAll=true`).

Adding or editing a discussion or comment moves the sheet's `version`, and so does a new version of an attached
file (docs/smartsheet-api.md, "What moves a sheet's version"): a sheet whose version did not move is asked only on
its recheck turn (`recheck.py`), which also finds deletions and plain new attachments, which the API does not say
move it. Each stream emits the records that are new or changed.
"""

from __future__ import annotations

from typing import Any, Iterable

from ...client import SmartsheetClient
from ...discovery import ObjectRef
from ...fetch.responses import Response, RiddenRead
from ...schema_mapping.around_rows import (
    ATTACHMENT_PROPERTIES,
    COMMENT_PROPERTIES,
    DISCUSSION_PROPERTIES,
    attachment_record,
    comment_records,
    discussion_record,
)
from .base import AroundRowsStream


def _no_discussions(read: RiddenRead) -> list[dict[str, Any]] | None:
    """A sheet whose complete read showed no discussion has none: no request. Else the comments need one."""
    return [] if not read.discussions else None


def _attachments_of(read: RiddenRead) -> list[dict[str, Any]]:
    """The sheet's, its rows' and its comments' attachments, as a complete read carried them."""
    return read.attachments + [item for discussion in read.discussions for item in discussion.get("commentAttachments") or ()]


# Read by two streams: fetched once (a sheet with discussions), or known from a complete read of its rows.
DISCUSSIONS = Response("discussions", SmartsheetClient.discussions, from_read=_no_discussions)
ATTACHMENTS = Response("attachments", SmartsheetClient.attachments, from_read=_attachments_of)
RIDES = ("attachments", "discussions")  # what these streams ask a complete row read to carry (`include=`)


class DiscussionsStream(AroundRowsStream):
    """Every discussion on a sheet or a row. Primary key (`sheet_id`, `discussion_id`)."""

    stream_name = "discussions"
    response = DISCUSSIONS
    moves_version = True
    rides = RIDES
    id_field = "discussion_id"
    cursor_name = "last_commented_at"
    properties = DISCUSSION_PROPERTIES

    def records(self, ref: ObjectRef, fetched: Any) -> Iterable[dict[str, Any]]:
        return [discussion_record(ref.id, ref.stream_name, discussion) for discussion in fetched]


class CommentsStream(AroundRowsStream):
    """Every comment of every discussion. Primary key (`sheet_id`, `comment_id`)."""

    stream_name = "comments"
    response = DISCUSSIONS
    moves_version = True
    rides = RIDES
    id_field = "comment_id"
    cursor_name = "modified_at"
    properties = COMMENT_PROPERTIES

    def records(self, ref: ObjectRef, fetched: Any) -> Iterable[dict[str, Any]]:
        return [record for discussion in fetched for record in comment_records(ref.id, ref.stream_name, discussion)]


class AttachmentsStream(AroundRowsStream):
    """Metadata of the sheet's, its rows' and its comments' attachments. Primary key (`sheet_id`, `attachment_id`)."""

    stream_name = "attachments"
    response = ATTACHMENTS
    rides = RIDES
    moves_version = True  # a new version of a file does; a plain new attachment arrives on the sheet's turn
    id_field = "attachment_id"
    cursor_name = "created_at"
    properties = ATTACHMENT_PROPERTIES

    def records(self, ref: ObjectRef, fetched: Any) -> Iterable[dict[str, Any]]:
        return [attachment_record(ref.id, ref.stream_name, attachment) for attachment in fetched]
