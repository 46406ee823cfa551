"""Records of what sheets keep around their rows: summary fields (long form), discussions, comments,
attachments, and the sheet and column inventory. Pure functions from the API's shapes
(docs/smartsheet-api.md "Around rows") to records, and each stream's fixed schema.

Every builder reads keys defensively (`.get`): these shapes have not been seen in a live recording.
A contact (`{name, email}`) is kept as its email, as rows keep `_ss_created_by`.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..whole_numbers import whole_int
from .common import BOOLEAN, INTEGER, SHEET_ID, STRING, STRINGS, VALUE_PROPERTIES, Record, email_of, time_text, typed_value
from .sheet_fields import SheetFields
from .summary_fields import summary_cell
from .types import TIMESTAMP_TZ, column_kind, json_types

# ----- summary fields, long form -----------------------------------------------------------------------
SUMMARY_FIELD_PROPERTIES = {
    **SHEET_ID,
    "field_id": {"type": "integer"},
    "index": INTEGER,
    "title": STRING,
    "type": STRING,
    **VALUE_PROPERTIES,
    "display_value": STRING,
    "object_value": {"type": ["null", "object"]},
    "invalid_value": STRING,
    "formula": STRING,
    "locked": BOOLEAN,
    "created_at": TIMESTAMP_TZ,
    "created_by": STRING,
    "modified_at": TIMESTAMP_TZ,
    "modified_by": STRING,
}


def summary_field_record(sheet_id: int, stream: str, summary: Mapping[str, Any]) -> Record:
    """One summary field: its value typed by its type (a TEXT_NUMBER as a number or text, as it holds)."""
    kind = column_kind({"type": summary.get("type")})
    cell = summary_cell(summary)
    value, invalid = kind.convert(cell)  # a TEXT_NUMBER's: a number or text, as it holds
    object_value = summary.get("objectValue")
    return {
        **typed_value(value, kind.schema),
        "sheet_id": sheet_id,
        "stream_name": stream,
        "field_id": summary.get("id"),
        "index": whole_int(summary.get("index")),
        "title": summary.get("title"),
        "type": summary.get("type"),
        "display_value": summary.get("displayValue"),
        "object_value": dict(object_value) if isinstance(object_value, Mapping) else None,
        "invalid_value": invalid,
        "formula": summary.get("formula"),
        "locked": summary.get("locked"),
        "created_at": time_text(summary.get("createdAt")),
        "created_by": email_of(summary.get("createdBy")),
        "modified_at": time_text(summary.get("modifiedAt")),
        "modified_by": email_of(summary.get("modifiedBy")),
    }


# ----- discussions and comments ------------------------------------------------------------------------
DISCUSSION_PROPERTIES = {
    "discussion_id": {"type": "integer"},
    **SHEET_ID,
    "parent_type": STRING,
    "parent_id": INTEGER,
    "row_id": INTEGER,
    "title": STRING,
    "comment_count": INTEGER,
    "last_commented_at": TIMESTAMP_TZ,
    "last_commented_by": STRING,
    "created_by": STRING,
    "access_level": STRING,
    "read_only": BOOLEAN,
}


def _row_of(discussion: Mapping[str, Any]) -> int | None:
    return whole_int(discussion.get("parentId")) if discussion.get("parentType") == "ROW" else None


def discussion_record(sheet_id: int, stream: str, discussion: Mapping[str, Any]) -> Record:
    comments = discussion.get("comments")
    count = whole_int(discussion.get("commentCount"))
    return {
        "discussion_id": discussion.get("id"),
        "sheet_id": sheet_id,
        "stream_name": stream,
        "parent_type": discussion.get("parentType"),
        "parent_id": whole_int(discussion.get("parentId")),
        "row_id": _row_of(discussion),
        "title": discussion.get("title"),
        "comment_count": count if count is not None else len(comments) if isinstance(comments, list) else None,
        "last_commented_at": time_text(discussion.get("lastCommentedAt")),
        "last_commented_by": email_of(discussion.get("lastCommentedUser")),
        "created_by": email_of(discussion.get("createdBy")),
        "access_level": discussion.get("accessLevel"),
        "read_only": discussion.get("readOnly"),
    }


COMMENT_PROPERTIES = {
    "comment_id": {"type": "integer"},
    "discussion_id": INTEGER,
    **SHEET_ID,
    "row_id": INTEGER,
    "text": STRING,
    "created_at": TIMESTAMP_TZ,
    "created_by": STRING,
    "modified_at": TIMESTAMP_TZ,
    "attachment_count": INTEGER,
}


def comment_records(sheet_id: int, stream: str, discussion: Mapping[str, Any]) -> list[Record]:
    return [
        {
            "comment_id": comment.get("id"),
            "discussion_id": comment.get("discussionId", discussion.get("id")),
            "sheet_id": sheet_id,
            "stream_name": stream,
            "row_id": _row_of(discussion),
            "text": comment.get("text"),
            "created_at": time_text(comment.get("createdAt")),
            "created_by": email_of(comment.get("createdBy")),
            "modified_at": time_text(comment.get("modifiedAt")),
            # asked with include=comments,attachments: a comment without the key has none
            "attachment_count": len(comment.get("attachments") or []),
        }
        for comment in discussion.get("comments") or []
    ]


# ----- attachments -------------------------------------------------------------------------------------
ATTACHMENT_PROPERTIES = {
    "attachment_id": {"type": "integer"},
    **SHEET_ID,
    "parent_type": STRING,
    "parent_id": INTEGER,
    "name": STRING,
    "attachment_type": STRING,
    "attachment_sub_type": STRING,
    "mime_type": STRING,
    "size_in_kb": INTEGER,
    "link_url": STRING,
    "created_at": TIMESTAMP_TZ,
    "created_by": STRING,
}


def attachment_record(sheet_id: int, stream: str, attachment: Mapping[str, Any]) -> Record:
    """An attachment's metadata. A file's `url` is a temporary download link: never kept. A link's is its address."""
    kind = attachment.get("attachmentType")
    return {
        "attachment_id": attachment.get("id"),
        "sheet_id": sheet_id,
        "stream_name": stream,
        "parent_type": attachment.get("parentType"),
        "parent_id": whole_int(attachment.get("parentId")),
        "name": attachment.get("name"),
        "attachment_type": kind,
        "attachment_sub_type": attachment.get("attachmentSubType"),
        "mime_type": attachment.get("mimeType"),
        "size_in_kb": whole_int(attachment.get("sizeInKb")),
        "link_url": attachment.get("url") if kind == "LINK" else None,
        "created_at": time_text(attachment.get("createdAt")),
        "created_by": email_of(attachment.get("createdBy")),
    }


# ----- the inventory -----------------------------------------------------------------------------------
SHEET_PROPERTIES = {
    **SHEET_ID,
    "name": STRING,
    "namespace": STRING,
    "workspace_id": INTEGER,
    "path": STRING,
    "permalink": STRING,
    "owner": STRING,
    "owner_id": INTEGER,
    "access_level": STRING,
    "created_at": TIMESTAMP_TZ,
    "modified_at": TIMESTAMP_TZ,
    "version": INTEGER,
    "total_row_count": INTEGER,
    "column_count": INTEGER,
}


def sheet_record(
    sheet_id: int, stream: str, name: str, namespace: str | None, path: str, listed: Mapping[str, Any], head: Mapping[str, Any]
) -> Record:
    """A sheet as the listing and its first page describe it (the page wins where both say)."""
    both = {**listed, **head}
    workspace = head.get("workspace")
    columns = head.get("columns")
    return {
        "sheet_id": sheet_id,
        "stream_name": stream,
        "name": head.get("name", name),
        "namespace": namespace,
        "workspace_id": whole_int(workspace.get("id")) if isinstance(workspace, Mapping) else None,
        "path": path or None,
        "permalink": both.get("permalink"),
        "owner": listed.get("owner") if isinstance(listed.get("owner"), str) else email_of(head.get("owner")),
        "owner_id": whole_int(both.get("ownerId")),
        "access_level": both.get("accessLevel"),
        "created_at": time_text(both.get("createdAt")),
        "modified_at": time_text(both.get("modifiedAt")),
        "version": whole_int(head.get("version")),
        "total_row_count": whole_int(head.get("totalRowCount")),
        "column_count": len(columns) if isinstance(columns, list) else None,
    }


COLUMN_PROPERTIES = {
    **SHEET_ID,
    "column_id": {"type": "integer"},
    "sheet_version": INTEGER,
    "title": STRING,
    "field_name": STRING,
    "type": STRING,
    "kind": STRING,
    "json_type": STRING,
    "json_format": STRING,
    "index": INTEGER,
    "primary": BOOLEAN,
    "system_column_type": STRING,
    "options": STRINGS,
    "hidden": BOOLEAN,
    "description": STRING,
    "formula": STRING,
}


def column_records(
    sheet_id: int, stream: str, version: int | None, columns: Sequence[Mapping[str, Any]], fields: SheetFields
) -> list[Record]:
    """Every column of a sheet with the field it is in the sheet's stream (`fields`, built from these columns)."""
    by_id = {field.column_id: field for field in fields.fields}
    records = []
    for column in columns:
        field = by_id.get(int(column["id"]))
        field_schema = field.kind.schema if field else {}
        known = sorted(json_types(field_schema))
        options = column.get("options")
        records.append(
            {
                "sheet_id": sheet_id,
                "stream_name": stream,
                "column_id": column.get("id"),
                "sheet_version": version,
                "title": column.get("title"),
                "field_name": field.name if field else None,
                "type": column.get("type"),
                "kind": field.kind.name.split(":")[0] if field else None,
                # the type the sheet's stream declares; None where this sync does not know it (a TEXT_NUMBER column
                # is typed from its rows at discover, and its row stream is not in this sync): not a guess
                "json_type": ",".join(known) if len(known) == 1 else None,
                "json_format": field_schema.get("format") if len(known) == 1 else None,
                "index": whole_int(column.get("index")),
                "primary": bool(column.get("primary")),
                "system_column_type": column.get("systemColumnType"),
                "options": [str(option) for option in options] if isinstance(options, list) else None,
                "hidden": bool(column.get("hidden")),
                "description": column.get("description"),
                "formula": column.get("formula"),
            }
        )
    return records
