"""The read plan (`plan_read`, `revise`) and its execution (`SheetRead.run`), with a fake client.

The fake client answers from the emulator's API logic directly (no HTTP, no retries, no pacing), so a case
is a world, a change, and what the read must emit and ask for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Mapping

import orjson
import pytest

from smartsheet_emulator import DEFAULT_TOKEN, build
from smartsheet_emulator.api import Api, Request
from smartsheet_emulator.model import Sheet
from smartsheet_emulator.world import World
from source_smartsheets.config import parse_config
from source_smartsheets.fetch.pages import FirstPagePrefetcher
from source_smartsheets.schema_mapping.naming import NAMING_RULE
from source_smartsheets.schema_mapping.sheet_fields import DELETED_AT, ROW_ID
from source_smartsheets.state.cursor import SheetState
from source_smartsheets.streams.sheet_read import ReadPlan, SheetRead, SheetTarget, plan_read, revise

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
SHEET = "Website Relaunch Plan"  # 12 rows over 3 pages of 5; predecessors, so objectValue is needed


class ApiClient:
    """The two calls a sheet read makes, answered by the emulator's API in this process; every request kept."""

    def __init__(self, world: World, after: Callable[[Mapping[str, str]], None] | None = None) -> None:
        self._api = Api(world)
        self._after = after  # runs after each answer: a change made by another user mid-read
        self.requests: list[dict[str, str]] = []

    def sheet_page(self, sheet_id: int, params: Mapping[str, Any]) -> dict[str, Any]:
        query = {key: str(value).lower() if isinstance(value, bool) else str(value) for key, value in params.items()}
        self.requests.append(query)
        response = self._api.handle(Request("GET", f"/sheets/{sheet_id}", query, {"authorization": f"Bearer {DEFAULT_TOKEN}"}))
        assert response.status == 200, response.body
        body = orjson.loads(orjson.dumps(response.body))
        if self._after is not None:
            self._after(query)
        return dict(body)

    def sheet_page_bytes(self, sheet_id: int, params: Mapping[str, Any]) -> bytes:
        return orjson.dumps(self.sheet_page(sheet_id, params))


def _config(**overrides: Any) -> Any:
    raw = {
        "credentials": {"auth_type": "access_token", "access_token": DEFAULT_TOKEN},
        "sheet_ids": ["1"],
        "page_size": 5,
        **overrides,
    }
    return parse_config(raw)


def _read(world: World, sheet: Sheet, plan: ReadPlan, client: ApiClient, config: Any) -> tuple[list[dict[str, Any]], SheetRead]:
    target = SheetTarget(sheet.id, f"sheet {sheet.id}", "stream", None, None, None)
    reader = SheetRead(client, config, target)  # type: ignore[arg-type]
    records = [message.record.data for message in reader.run(plan) if message.record is not None]
    return records, reader


def _first_sync(world: World, sheet: Sheet, config: Any) -> SheetState:
    records, reader = _read(world, sheet, plan_read(None, config, True, None), ApiClient(world), config)
    assert len(records) == len(sheet.rows)
    assert reader.state is not None
    return reader.state


# ----- the plan, pure ---------------------------------------------------------------------------------
STATE = SheetState(1, cursor=datetime(2026, 1, 5, 9, 0, 7, tzinfo=timezone.utc), version=3, columns="abc", naming=NAMING_RULE)
TEXT_ONLY = {"task_name": {"type": ["null", "string"]}}  # a catalog with no multi-value field
CONTACTS = {**TEXT_ONLY, "owners": {"type": ["null", "array"], "items": {"type": "object"}}}


@pytest.mark.parametrize(
    "previous, overrides, incremental, declared, since, object_values",
    [
        (None, {}, False, TEXT_ONLY, None, False),
        (None, {}, True, TEXT_ONLY, None, False),
        (STATE, {}, True, TEXT_ONLY, "2026-01-05T09:00:06Z", False),  # a second of overlap before the cursor
        (None, {"start_datetime": "2025-06-01T00:00:00Z"}, True, TEXT_ONLY, "2025-05-31T23:59:59Z", False),
        (None, {"start_datetime": "2025-06-01T00:00:00Z"}, False, TEXT_ONLY, None, False),  # full refresh: every row
        (STATE, {"start_datetime": "2025-06-01T00:00:00Z"}, True, TEXT_ONLY, "2026-01-05T09:00:06Z", False),  # cursor wins
        (None, {}, False, CONTACTS, None, True),  # a multi-value field in the catalog: objectValue from the start
        (None, {}, False, None, None, True),  # no catalog to go by: objectValue
    ],
)
def test_plan_read(previous, overrides, incremental, declared, since, object_values) -> None:  # type: ignore[no-untyped-def]
    plan = plan_read(previous, _config(**overrides), incremental, declared)
    assert (plan.since.strftime("%Y-%m-%dT%H:%M:%SZ") if plan.since else None) == since
    assert plan.object_values is object_values
    params = plan.first_page_params(5)
    assert params["page"] == 1 and params["pageSize"] == 5
    assert params.get("rowsModifiedSince") == since
    # the sheet's summary rides on the first page (pages.FIRST_PAGE_INCLUDE)
    assert params["include"] == ("objectValue,writerInfo,summary" if object_values else "writerInfo,summary")


MULTI = [{"id": 1, "type": "MULTI_CONTACT_LIST", "title": "Owners"}]
PLAIN = [{"id": 1, "type": "TEXT_NUMBER", "title": "Name"}]
OLD_NAMING = SheetState(1, cursor=STATE.cursor, version=3, columns="abc", naming=None)


@pytest.mark.parametrize(
    "plan, columns, fingerprint, reason",
    [
        (ReadPlan(None, None, False, False), PLAIN, "abc", None),
        (ReadPlan(None, None, False, False), MULTI, "abc", "object_values"),
        (ReadPlan(None, None, True, False), MULTI, "abc", None),
        (ReadPlan(STATE, STATE.cursor, False, True), PLAIN, "abc", None),  # same columns: the cursor holds
        (ReadPlan(STATE, STATE.cursor, False, True), PLAIN, "xyz", "columns"),
        (ReadPlan(OLD_NAMING, STATE.cursor, False, True), PLAIN, "xyz", "naming"),
        (ReadPlan(SheetState(1, cursor=STATE.cursor), STATE.cursor, False, True), PLAIN, "xyz", None),  # no fingerprint kept
        (ReadPlan(STATE, None, False, True), PLAIN, "xyz", None),  # already a full read
    ],
)
def test_revise(plan, columns, fingerprint, reason) -> None:  # type: ignore[no-untyped-def]
    revision = revise(plan, columns, fingerprint)
    assert (revision.reason if revision else None) == reason
    if revision is not None and reason in ("columns", "naming"):
        assert revision.plan.since is None and revision.plan.previous is not None
        assert revision.plan.previous.cursor is None and revision.plan.previous.row_ids == plan.previous.row_ids
        assert revise(revision.plan, columns, fingerprint) is None  # a revision is final for that setting


# ----- the plan carried out ---------------------------------------------------------------------------
@dataclass
class Case:
    name: str
    change: Callable[[World, Sheet], Any]  # between the first sync and the second; returns what to expect
    expect: Callable[[World, Sheet, Any, list[dict[str, Any]]], None]
    pages: int  # first-page requests of the second read (2: the plan was revised)
    capture_deletes: bool = False


def _edit(world: World, sheet: Sheet) -> int:
    world.clock.advance(60)
    world.update_row(sheet, sheet.rows[4], {"Task Name": "edited"})
    return sheet.rows[4].id


def _blank(world: World, sheet: Sheet) -> int:
    world.clock.advance(60)
    world.blank_row(sheet, sheet.rows[7])
    return sheet.rows[7].id


def _rename(world: World, sheet: Sheet) -> None:
    world.clock.advance(60)
    world.rename_column(sheet, sheet.column_by_title("Task Name"), "Task title")


def _rename_then_edit(world: World, sheet: Sheet) -> int:
    _rename(world, sheet)
    world.update_row(sheet, sheet.rows[2], {"Task title": "renamed, then edited"})
    return sheet.rows[2].id


def _retype(world: World, sheet: Sheet) -> None:
    world.clock.advance(60)
    world.retype_column(sheet, sheet.column_by_title("Task Name"), "PICKLIST", ["a", "b"])


def _in_its_old_field(edited: int, records: list[dict[str, Any]]) -> None:
    """#32: a renamed column's value lands in the field its id had (the state keeps it), not in a new one."""
    assert [(record[ROW_ID], record.get("task_name")) for record in records] == [(edited, "renamed, then edited")]
    assert "task_title" not in records[0]


def _delete(world: World, sheet: Sheet) -> int:
    world.clock.advance(60)
    gone = sheet.rows[-1].id
    world.delete_row(sheet, sheet.rows[-1])
    return gone


def _only(row_id_of: Any, records: list[dict[str, Any]]) -> None:
    assert [record[ROW_ID] for record in records] == [row_id_of]


CASES = [
    Case("unchanged", lambda world, sheet: None, lambda world, sheet, _, records: _none(records), pages=1),
    Case("a row edited after the cursor", _edit, lambda world, sheet, edited, records: _only(edited, records), pages=1),
    Case("a row cleared blank (the filter hides it)", _blank, lambda w, s, blanked, records: _only(blanked, records), pages=1),
    Case("a column renamed: nothing re-read", _rename, lambda world, sheet, _, records: _none(records), pages=1),
    Case("a column renamed, a row edited", _rename_then_edit, lambda w, s, edited, r: _in_its_old_field(edited, r), pages=1),
    Case("a column retyped: re-read in full", _retype, lambda world, sheet, _, records: _every_row(sheet, records), pages=2),
    Case(
        "a row deleted, captured", _delete, lambda w, s, gone, records: _tombstone(gone, records), pages=1, capture_deletes=True
    ),
    Case("a row deleted, not captured", _delete, lambda world, sheet, _, records: _none(records), pages=1),
]


def _none(records: list[dict[str, Any]]) -> None:
    assert records == []


def _every_row(sheet: Sheet, records: list[dict[str, Any]]) -> None:
    assert sorted(record[ROW_ID] for record in records) == sorted(row.id for row in sheet.rows)
    assert all("task_name" in record for record in records)


def _tombstone(gone: int, records: list[dict[str, Any]]) -> None:
    assert [(record[ROW_ID], record[DELETED_AT] is not None) for record in records] == [(gone, True)]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_incremental_read(case: Case) -> None:
    world = build("demo")
    sheet = world.sheet_named(SHEET)
    config = _config(capture_deletes=case.capture_deletes)
    state = _first_sync(world, sheet, config)
    expected = case.change(world, sheet)
    client = ApiClient(world)
    records, reader = _read(world, sheet, plan_read(state, config, True, None), client, config)
    case.expect(world, sheet, expected, records)
    first_pages = [query for query in client.requests if query.get("page") == "1"]
    assert len(first_pages) == case.pages, client.requests
    assert reader.state is not None and reader.state.cursor is not None and reader.state.naming == NAMING_RULE
    assert (reader.state.row_ids is not None) is case.capture_deletes


@pytest.mark.parametrize("change", ["insert above", "delete above"])
def test_rows_shifting_across_pages_mid_read_are_neither_lost_nor_doubled(change: str) -> None:
    world = build("demo")
    sheet = world.sheet_named(SHEET)
    config = _config()
    deleted = sheet.rows[1].id
    done: list[int] = []

    def change_after_first_page(query: Mapping[str, str]) -> None:
        if query.get("page") == "1" and not done:
            done.append(0)
            if change == "insert above":
                row = world.add_row(sheet, {"Task Name": "new"}, parent=sheet.rows[0])  # later rows move a page down
                done.append(row.id)
            else:
                world.delete_row(sheet, sheet.rows[1])  # later rows move a page up, past the walk

    client = ApiClient(world, after=change_after_first_page)
    records, _ = _read(world, sheet, plan_read(None, config, False, None), client, config)
    emitted = [record[ROW_ID] for record in records]
    assert len(emitted) == len(set(emitted))  # none twice
    now = {row.id for row in sheet.rows}
    assert now - set(emitted) <= set(done[1:])  # every row but the new one (it may come in the next sync)
    assert set(emitted) <= now | {deleted}  # the deleted row only if it was read before it went


def test_prefetched_first_page_is_the_plans_own_and_a_revised_plan_fetches_its_own() -> None:
    world = build("demo")
    sheet = world.sheet_named(SHEET)
    config = _config()
    client = ApiClient(world)
    lean = plan_read(None, config, False, TEXT_ONLY)  # the catalog has no multi-value field: planned without objectValue
    prefetcher = FirstPagePrefetcher(client, 1)  # type: ignore[arg-type]
    prefetcher.plan([(sheet.id, lean.first_page_params(config.page_size))])
    prefetcher.close()  # wait for the fetch
    assert len(client.requests) == 1
    target = SheetTarget(sheet.id, "sheet", "stream", None, None, None)
    reader = SheetRead(client, config, target, prefetcher.take)  # type: ignore[arg-type]
    records = [message.record.data for message in reader.run(lean) if message.record is not None]
    assert len(records) == len(sheet.rows)
    first_pages = [query for query in client.requests if query.get("page") == "1"]
    # The sheet's predecessor column revises the plan: its first page is fetched again, with objectValue.
    assert [query["include"] for query in first_pages] == ["writerInfo,summary", "objectValue,writerInfo,summary"]
    assert all("summary" not in query["include"] for query in client.requests if query.get("page") not in (None, "1"))


# ----- what rides on a complete read's pages, for the streams around rows --------------------------------
AROUND = "attachments,discussions"


@pytest.mark.parametrize(
    ("previous", "incremental", "around"),
    [(None, False, AROUND), (None, True, AROUND), (STATE, True, "")],
    ids=["full refresh", "first incremental sync", "filtered: not complete, nothing rides"],
)
def test_what_rides_is_asked_only_where_the_read_is_complete(previous, incremental, around) -> None:  # type: ignore[no-untyped-def]
    plan = plan_read(previous, _config(), incremental, None).carrying(AROUND)
    assert plan.around == around
    assert plan.first_page_params(5)["include"] == ",".join(
        word for word in ("objectValue,writerInfo", around, "summary") if word
    )


def test_a_complete_read_hands_over_every_discussion_and_attachment_from_every_page() -> None:
    world = build("demo")
    sheet = world.sheet_named(SHEET)  # 12 rows over 3 pages of 5; a row discussion and attachment on row 5
    world.add_discussion(sheet, "On the last page.", row=sheet.rows[11])
    world.add_attachment(sheet, "last.pdf", sheet.rows[11], mime_type="application/pdf", size_in_kb=3)
    handed: list[tuple[list[dict[str, Any]], list[dict[str, Any]]]] = []
    target = SheetTarget(sheet.id, "sheet", "stream", None, None, None)
    reader = SheetRead(ApiClient(world), _config(), target, on_around=lambda d, a: handed.append((d, a)))  # type: ignore[arg-type]
    records = [message for message in reader.run(plan_read(None, _config(), False, None).carrying(AROUND)) if message.record]
    assert len(records) == len(sheet.rows)
    ((discussions, attachments),) = handed
    assert sorted(d["id"] for d in discussions) == sorted(d.id for d in sheet.discussions)
    on_comments = {a["id"] for d in discussions for a in d.get("commentAttachments", [])}
    truth = {a.id for a in sheet.attachments} | {a.id for d in sheet.discussions for c in d.comments for a in c.attachments}
    assert {a["id"] for a in attachments} | on_comments == truth
