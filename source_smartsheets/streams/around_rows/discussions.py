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
from ...schema_mapping.around_rows import (
    ATTACHMENT_PROPERTIES,
    COMMENT_PROPERTIES,
    DISCUSSION_PROPERTIES,
    attachment_record,
    comment_records,
    discussion_record,
)
from .base import AroundRowsStream
from .responses import Response

DISCUSSIONS = Response("discussions", SmartsheetClient.discussions)  # read by two streams: fetched once
ATTACHMENTS = Response("attachments", SmartsheetClient.attachments)


class DiscussionsStream(AroundRowsStream):
    """Every discussion on a sheet or a row. Primary key (`sheet_id`, `discussion_id`)."""

    stream_name = "discussions"
    response = DISCUSSIONS
    moves_version = True
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
    id_field = "comment_id"
    cursor_name = "modified_at"
    properties = COMMENT_PROPERTIES

    def records(self, ref: ObjectRef, fetched: Any) -> Iterable[dict[str, Any]]:
        return [record for discussion in fetched for record in comment_records(ref.id, ref.stream_name, discussion)]


class AttachmentsStream(AroundRowsStream):
    """Metadata of the sheet's, its rows' and its comments' attachments. Primary key (`sheet_id`, `attachment_id`)."""

    stream_name = "attachments"
    response = ATTACHMENTS
    moves_version = True  # a new version of a file does; a plain new attachment arrives on the sheet's turn
    id_field = "attachment_id"
    cursor_name = "created_at"
    properties = ATTACHMENT_PROPERTIES

    def records(self, ref: ObjectRef, fetched: Any) -> Iterable[dict[str, Any]]:
        return [attachment_record(ref.id, ref.stream_name, attachment) for attachment in fetched]
