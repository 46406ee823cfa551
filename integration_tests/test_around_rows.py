"""The streams around rows (summaries, discussions, comments, attachments, sheets, columns) through the
command against the emulator: what they emit against the world's truth, what they cost in requests,
what an incremental sync finds after each kind of change, and how a sheet that goes away is handled."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import jsonschema
import pytest

from integration_tests.harness import Harness, killed_then_resumed
from smartsheet_emulator.model import Contact
from source_smartsheets.recheck import due
from source_smartsheets.streams.registry import AROUND_ROWS_NAMES

SHEETS, COLUMNS, SUMMARIES, SUMMARY_FIELDS = "sheets", "columns", "sheet_summaries", "sheet_summary_fields"
DISCUSSIONS, COMMENTS, ATTACHMENTS = "discussions", "comments", "attachments"

SUMMARY = "GET /sheets/{id}/summary"
DISCUSSION_LIST = "GET /sheets/{id}/discussions"
ATTACHMENT_LIST = "GET /sheets/{id}/attachments"
SHEET_PAGE = "GET /sheets/{id}"


def _by_stream(run: Any) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for message in run.record_messages():
        found.setdefault(message["stream"], []).append(message["data"])
    return found


def _synced(harness: Harness, streams: list[str], **config: Any) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    settings = harness.config(**config)
    catalog = harness.catalog("incremental", config=settings, streams=streams)
    first = harness.read(catalog, config=settings)
    assert first.returncode == 0, first.stderr[-3000:]
    return settings, catalog, first.final_states()


def _expected_summary_value(value: Any, schema: dict[str, Any]) -> Any:
    if isinstance(value, Contact):
        return {"email": value.email, "name": value.name}
    if schema["type"] == ["null", "string"] and not isinstance(value, str):
        return str(value)
    return value


def test_full_refresh_gives_each_stream_the_worlds_truth(demo) -> None:
    world = demo.world
    catalog = demo.catalog("full_refresh", streams=sorted(AROUND_ROWS_NAMES))
    schemas = {entry["stream"]["name"]: entry["stream"]["json_schema"] for entry in catalog["streams"]}
    run = demo.read(catalog)
    assert run.returncode == 0, run.stderr[-3000:]
    found = _by_stream(run)
    for stream, records in found.items():
        for record in records:
            jsonschema.validate(record, schemas[stream])
    sheets = list(world.sheets.values())

    # The portfolio table: one typed record per sheet, a field per summary title.
    summaries = {record["_ss_sheet_id"]: record for record in found[SUMMARIES]}
    assert set(summaries) == {sheet.id for sheet in sheets}
    by_title = {schema["title"]: name for name, schema in schemas[SUMMARIES]["properties"].items() if "title" in schema}
    assert set(by_title) == {summary.title for sheet in sheets for summary in sheet.summary}
    budget = schemas[SUMMARIES]["properties"][by_title["Budget"]]
    assert budget["type"] == ["null", "string"] and "differs between sheets" in budget["description"]
    for sheet in sheets:
        for summary in sheet.summary:
            name = by_title[summary.title]
            expected = _expected_summary_value(summary.value, schemas[SUMMARIES]["properties"][name])
            assert summaries[sheet.id][name] == expected, (sheet.name, summary.title)

    # The long form, discussions, comments and attachments: every one, once.
    assert sorted(r["field_id"] for r in found[SUMMARY_FIELDS]) == sorted(s.id for sheet in sheets for s in sheet.summary)
    discussions = [d for sheet in sheets for d in sheet.discussions]
    assert sorted(r["discussion_id"] for r in found[DISCUSSIONS]) == sorted(d.id for d in discussions)
    counts = {r["discussion_id"]: r["comment_count"] for r in found[DISCUSSIONS]}
    assert counts == {d.id: len(d.comments) for d in discussions}
    texts = {r["comment_id"]: r["text"] for r in found[COMMENTS]}
    assert texts == {c.id: c.text for d in discussions for c in d.comments}
    attached = {r["comment_id"]: r["attachment_count"] for r in found[COMMENTS]}
    assert attached == {c.id: len(c.attachments) for d in discussions for c in d.comments}
    assert 1 in attached.values()  # the comment with kickoff.pdf
    on_comments = [a for d in discussions for c in d.comments for a in c.attachments]
    attachments = {r["attachment_id"]: r for r in found[ATTACHMENTS]}
    assert set(attachments) == {a.id for sheet in sheets for a in sheet.attachments} | {a.id for a in on_comments}
    for record in attachments.values():
        assert (record.get("link_url") is not None) == (record["attachment_type"] == "LINK")

    # The inventory: each sheet with its rows and version, each column with its field in the sheet's stream.
    inventory = {r["sheet_id"]: r for r in found[SHEETS]}
    assert {i: (r["total_row_count"], r["version"]) for i, r in inventory.items()} == {
        sheet.id: (len(sheet.rows), sheet.version) for sheet in sheets
    }
    discovered = {s["name"]: s for s in demo.discover().catalog["streams"]}
    for sheet in sheets:
        columns = [r for r in found[COLUMNS] if r["sheet_id"] == sheet.id]
        assert sorted(r["column_id"] for r in columns) == sorted(c.id for c in sheet.columns)
        fields = discovered[inventory[sheet.id]["stream_name"]]["json_schema"]["properties"]
        assert all(fields[r["field_name"]]["title"] == r["title"] for r in columns)
        # no row stream in this sync: a TEXT_NUMBER column's type is not known here, and said as null
        assert all(r.get("json_type") is None for r in columns if r["type"] == "TEXT_NUMBER" and not r.get("system_column_type"))
        assert all(r["json_type"] == "boolean" for r in columns if r["type"] == "CHECKBOX")


def test_unselected_streams_cost_nothing_and_shared_answers_are_fetched_once(demo) -> None:
    sheets = len(demo.world.sheets)
    rows_only = demo.catalog("full_refresh")
    demo.stats.reset()
    assert demo.read(rows_only).returncode == 0
    assert demo.stats.count(SUMMARY) == demo.stats.count(DISCUSSION_LIST) == demo.stats.count(ATTACHMENT_LIST) == 0
    assert demo.stats.count(SHEET_PAGE) == sheets  # one page each: nothing fetched for the streams not selected

    both = demo.catalog("full_refresh", streams=[DISCUSSIONS, COMMENTS, SUMMARIES, SUMMARY_FIELDS])
    demo.stats.reset()
    assert demo.read(both).returncode == 0
    assert demo.stats.count(DISCUSSION_LIST) == demo.stats.count(SUMMARY) == sheets  # two streams, one request a sheet
    assert demo.stats.count(ATTACHMENT_LIST) == demo.stats.count(SHEET_PAGE) == 0

    rows_and_inventory = demo.catalog("full_refresh", around_rows=True, streams=[*_row_stream_names(demo), SHEETS, COLUMNS])
    demo.stats.reset()
    assert demo.read(rows_and_inventory).returncode == 0
    assert demo.stats.count(SHEET_PAGE) == sheets  # the inventory reuses the row reads' first pages


def _row_stream_names(harness: Harness) -> list[str]:
    return [entry["stream"]["name"] for entry in harness.catalog("full_refresh")["streams"]]


ONE_DAY = 24 * 3600


@pytest.mark.parametrize("unlisted_move", [False, True], ids=["unlisted-changes-keep-version", "unlisted-changes-move-version"])
def test_given_a_comment_a_summary_edit_and_an_attachment_then_the_comment_arrives_at_once_and_the_rest_within_the_window(
    demo, unlisted_move
) -> None:
    """The API says a comment moves the sheet's version; it does not say so of a summary edit or a plain attachment
    (the emulator plays both answers). The comment arrives at the next sync; the rest at the next sync where the
    version moved (the inventory's first page carries the summary), else when the recheck window (24 h) has passed."""
    world = demo.world
    world.unlisted_changes_move_version = unlisted_move
    config, catalog, states = _synced(demo, sorted(AROUND_ROWS_NAMES))
    demo.stats.reset()
    quiet = demo.read(catalog, config=config, state=states)
    assert quiet.returncode == 0 and quiet.records() == []
    asked = [demo.stats.count(endpoint) for endpoint in (SHEET_PAGE, SUMMARY, DISCUSSION_LIST, ATTACHMENT_LIST)]
    assert asked == [0, 0, 0, 0]  # nothing changed, no time passed: not one request around the rows

    plan, budget = world.sheet_named("Website Relaunch Plan"), world.sheet_named("2026 Marketing Budget")
    world.clock.advance(60)
    review = plan.discussions[1]
    comment = world.add_comment(plan, review, "Moved to Thursday 10:00.")
    status = next(summary for summary in budget.summary if summary.title == "Status")
    world.set_summary_value(budget, status, "At Risk")
    attachment = world.add_attachment(budget, "Launch checklist", budget, "LINK", url="https://example.com/checklist")
    next_sync = demo.read(catalog, config=config, state=quiet.final_states())
    changed = _by_stream(next_sync)
    assert [r["comment_id"] for r in changed[COMMENTS]] == [comment.id]
    assert [(r["discussion_id"], r["comment_count"]) for r in changed[DISCUSSIONS]] == [(review.id, len(review.comments))]
    assert COLUMNS not in changed
    late = [
        [(r["field_id"], r["value_text"]) for r in changed.get(SUMMARY_FIELDS, [])],
        [(r["_ss_sheet_id"], r["status"]) for r in changed.get(SUMMARIES, [])],
        [r["attachment_id"] for r in changed.get(ATTACHMENTS, [])],
    ]
    arrived = [[(status.id, "At Risk")], [(budget.id, "At Risk")], [attachment.id]]
    assert late == (arrived if unlisted_move else [[], [], []])  # the budget's version moved, or did not

    world.clock.advance(ONE_DAY)
    within_a_day = _by_stream(demo.read(catalog, config=config, state=next_sync.final_states()))
    late = [
        [(r["field_id"], r["value_text"]) for r in within_a_day.get(SUMMARY_FIELDS, [])],
        [(r["_ss_sheet_id"], r["status"]) for r in within_a_day.get(SUMMARIES, [])],
        [r["attachment_id"] for r in within_a_day.get(ATTACHMENTS, [])],
    ]
    assert late == ([[], [], []] if unlisted_move else arrived)  # within the window, and each once
    assert COMMENTS not in within_a_day


def test_given_recheck_hours_0_when_a_summary_is_edited_and_a_file_attached_then_both_arrive_at_the_next_sync(demo) -> None:
    world = demo.world
    config, catalog, states = _synced(demo, [SUMMARY_FIELDS, ATTACHMENTS], around_rows_recheck_hours=0)
    budget = world.sheet_named("2026 Marketing Budget")
    world.clock.advance(60)
    world.set_summary_value(budget, budget.summary[0], "Off Track")
    attachment = world.add_attachment(budget, "q1.pdf", budget, mime_type="application/pdf", size_in_kb=20)
    demo.stats.reset()
    changed = _by_stream(demo.read(catalog, config=config, state=states))
    assert [r["field_id"] for r in changed[SUMMARY_FIELDS]] == [budget.summary[0].id]
    assert [r["attachment_id"] for r in changed[ATTACHMENTS]] == [attachment.id]
    assert demo.stats.count(SUMMARY) == demo.stats.count(ATTACHMENT_LIST) == len(world.sheets)  # every sheet, every sync


def test_given_an_hour_passed_and_a_summary_edit_when_summaries_sync_then_only_the_due_sheets_are_asked(world_harness) -> None:
    """An emitted record must not make the portfolio table's schema ask every sheet again (airbyte-cdk asks each
    record's stream for its schema): the sync asks exactly the sheets whose recheck turn came."""
    harness = world_harness("many")
    world = harness.world
    config, catalog, states = _synced(harness, [SUMMARIES])
    start = world.clock.now()
    world.clock.advance(3600)
    turn = [sheet for sheet in world.sheets.values() if due(sheet.id, start, world.clock.now(), timedelta(hours=24))]
    assert 0 < len(turn) < len(world.sheets)
    world.set_summary_value(turn[0], turn[0].summary[0], "Edited")
    harness.stats.reset()
    run = harness.read(catalog, config=config, state=states)
    assert [record["_ss_sheet_id"] for record in run.records(SUMMARIES)] == [turn[0].id]
    assert harness.stats.count(SUMMARY) == len(turn)


def test_the_recheck_share_is_even_over_the_window_and_every_sheet_has_its_turn(world_harness) -> None:
    """On `many` (200 sheets): syncs an hour apart each ask about 1/24 of the sheets for their summary, and within
    24 hours every sheet has been asked; none twice in a day."""
    harness = world_harness("many")
    config, catalog, states = _synced(harness, [SUMMARY_FIELDS])
    asked: list[int] = []
    for _ in range(24):
        harness.world.clock.advance(3600)
        harness.stats.reset()
        run = harness.read(catalog, config=config, state=states)
        assert run.returncode == 0 and run.records() == []
        states = run.final_states()
        asked.append(harness.stats.count(SUMMARY))
    assert sum(asked) == len(harness.world.sheets)  # each sheet once in the window
    assert max(asked) <= 20  # an even share: about 200 / 24 = 8 a sync, never a burst


def test_deletions_are_captured_and_a_sheet_leaving_the_selection_ends_its_part(demo) -> None:
    world = demo.world
    config, catalog, states = _synced(demo, [COMMENTS, DISCUSSIONS, SHEETS, COLUMNS], capture_deletes=True)
    plan = world.sheet_named("Website Relaunch Plan")
    gone = plan.discussions[1].comments[-1]
    world.delete_comment(plan, gone)  # moves no version: found on the sheet's recheck turn, within a day
    world.clock.advance(ONE_DAY)
    run = demo.read(catalog, config=config, state=states)
    found = _by_stream(run)
    assert [(r["comment_id"], r["_ab_cdc_deleted_at"] is not None) for r in found[COMMENTS]] == [(gone.id, True)]
    assert [r["comment_count"] for r in found[DISCUSSIONS]] == [len(plan.discussions[1].comments)]

    tracker = world.sheet_named("Support Issue Tracker")
    narrower = {**config, "sheet_name_exclude": ["Support"]}
    left = demo.read(catalog, config=narrower, state=run.final_states())
    assert left.returncode == 0, left.stderr[-3000:]
    deleted = _by_stream(left)
    assert {r["sheet_id"] for r in deleted[SHEETS]} == {tracker.id} and all(r["_ab_cdc_deleted_at"] for r in deleted[SHEETS])
    assert sorted(r["column_id"] for r in deleted[COLUMNS]) == sorted(c.id for c in tracker.columns)
    assert sorted(r["comment_id"] for r in deleted[COMMENTS]) == sorted(c.id for d in tracker.discussions for c in d.comments)
    assert all(
        str(tracker.id) not in s["stream"]["stream_state"]["sheets"]
        for s in left.final_states()
        if s["stream"]["stream_state"].get("sheets")
    )


def test_a_sheet_unshared_mid_read_ends_its_part_with_a_warning_and_the_rest_goes_on(demo) -> None:
    world = demo.world
    config, catalog, states = _synced(demo, [DISCUSSIONS, COMMENTS, ATTACHMENTS], prefetch_sheets=0)
    plan, budget = world.sheet_named("Website Relaunch Plan"), world.sheet_named("2026 Marketing Budget")
    world.clock.advance(60)
    missed = world.add_comment(plan, plan.discussions[0], "Deck updated.")
    late = world.add_comment(budget, budget.discussions[0], "Signed off.")

    def unshare_the_plan_after_the_budget(request, body):  # type: ignore[no-untyped-def]
        if request.path == f"/sheets/{budget.id}/discussions":
            world.revoke(plan)  # the plan's discussions (read after the budget's) then answer 403
        return body

    demo.emulator.tamper = unshare_the_plan_after_the_budget
    demo.stats.reset()
    run = demo.read(catalog, config=config, state=states)
    assert run.returncode == 0, run.stderr[-3000:]
    assert late.id in {r["comment_id"] for r in run.records(COMMENTS)}
    assert demo.stats.by_status[403] == 2  # its discussions (once, for both streams) and its attachments
    warnings = sorted(m.split(":")[0] for m in run.logs("WARN") if f"sheet {plan.id}" in m and "left as it was" in m)
    assert warnings == [f"Stream {stream}" for stream in sorted([ATTACHMENTS, COMMENTS, DISCUSSIONS])]
    demo.emulator.tamper = None
    world.grant(plan)
    again = demo.read(catalog, config=config, state=run.final_states())
    assert [r["comment_id"] for r in again.records(COMMENTS)] == [missed.id]  # its part was kept: nothing lost
    assert again.records(ATTACHMENTS) == []  # nor anything sent twice


def test_killed_after_each_checkpoint_and_resumed_delivers_every_new_comment(world_harness) -> None:
    harness = world_harness("demo", real_command=True)
    world = harness.world
    discussed = [sheet for sheet in world.sheets.values() if sheet.discussions]  # one checkpoint each
    config, catalog, states = _synced(harness, [COMMENTS], workspace_ids=None, sheet_ids=[str(s.id) for s in discussed])
    world.clock.advance(60)
    added = {world.add_comment(sheet, sheet.discussions[0], f"new on {sheet.name}").id for sheet in discussed}
    for kill_after in range(1, len(discussed) + 1):
        delivered, again = killed_then_resumed(harness, catalog, config, states, kill_after, "comment_id")
        assert added <= delivered | again, f"killed after checkpoint {kill_after}"
        assert not again & delivered, "a checkpointed sheet's comments are not emitted twice"


@pytest.mark.parametrize("says", [True, False], ids=["hasSummaryFields-sent", "hasSummaryFields-absent"])
@pytest.mark.parametrize("honoured", [True, False], ids=["include-summary-honoured", "include-summary-ignored"])
def test_the_summary_table_schema_costs_a_request_only_where_a_summary_may_be(world_harness, says, honoured) -> None:
    """Discover fetches each sheet's first page for its columns; where the API answers `include=summary` there, the
    summary titles cost nothing more (N requests, not 2N); else only sheets that may have a summary are asked."""
    harness = world_harness("edge")
    world = harness.world
    world.sheets_say_has_summary_fields = says
    world.sheet_reads_include_summary = honoured
    with_summary = sum(1 for sheet in world.sheets.values() if sheet.summary)
    assert 0 < with_summary < len(world.sheets)
    harness.stats.reset()
    run = harness.discover()
    assert run.returncode == 0, run.stderr[-3000:]
    assert harness.stats.count(SUMMARY) == (0 if honoured else with_summary if says else len(world.sheets))
    (table,) = [s for s in run.catalog["streams"] if s["name"] == SUMMARIES]
    titles = {schema.get("title") for schema in table["json_schema"]["properties"].values()} - {None}
    assert titles == {summary.title for sheet in world.sheets.values() for summary in sheet.summary}


@pytest.mark.parametrize("page_size", [1000, 2], ids=["one-page-each", "row-discussions-on-later-pages"])  # Website row 5: page 3
def test_given_rows_selected_when_full_refresh_then_around_rows_ride_on_the_row_pages_and_emit_the_same(demo, page_size) -> None:
    """#25: a complete row read carries the sheet's discussions and attachments (`include=discussions,attachments`)
    and its summary (first page): only a sheet with discussions costs one request more (its comments). The records
    are those of asking each sheet, as a sync without the rows does."""
    world = demo.world
    around = [SUMMARIES, SUMMARY_FIELDS, DISCUSSIONS, COMMENTS, ATTACHMENTS]
    config = demo.config(page_size=page_size)
    alone = demo.read(demo.catalog("full_refresh", config=config, streams=around), config=config)
    catalog = demo.catalog("full_refresh", config=config, streams=[*_row_stream_names(demo), *around])
    demo.stats.reset()
    with_rows = demo.read(catalog, config=config)
    assert with_rows.returncode == 0, with_rows.stderr[-3000:]
    discussed = sum(1 for sheet in world.sheets.values() if sheet.discussions)
    assert 0 < discussed < len(world.sheets)
    assert demo.stats.count(DISCUSSION_LIST) == discussed
    assert demo.stats.count(ATTACHMENT_LIST) == demo.stats.count(SUMMARY) == 0
    pages = sum(max(1, -(-len(sheet.rows) // page_size)) for sheet in world.sheets.values())
    assert demo.stats.count(SHEET_PAGE) == pages  # the rows' own pages, nothing more

    def by_id(run: Any, stream: str, key: str) -> dict[int, dict[str, Any]]:
        return {record[key]: record for record in run.records(stream)}

    for stream, key in ((DISCUSSIONS, "discussion_id"), (COMMENTS, "comment_id"), (ATTACHMENTS, "attachment_id")):
        assert by_id(with_rows, stream, key) == by_id(alone, stream, key), stream
    assert by_id(with_rows, SUMMARY_FIELDS, "field_id") == by_id(alone, SUMMARY_FIELDS, "field_id")


def test_given_a_sync_stopped_midway_when_resumed_then_the_sheets_not_yet_rechecked_are_rechecked(demo) -> None:
    """The recheck window advances only after a complete pass: a state taken mid-pass keeps the last complete pass,
    so the resumed sync still finds every change on the sheets it had not reached, and sends none twice."""
    world = demo.world
    config, catalog, states = _synced(demo, [SUMMARY_FIELDS])
    world.clock.advance(ONE_DAY + 60)
    edited = {}
    for sheet in sorted(world.sheets.values(), key=lambda sheet: sheet.id):
        world.set_summary_value(sheet, sheet.summary[0], f"Edited {sheet.id}")  # moves no version: found on its turn
        edited[sheet.summary[0].id] = sheet.id
    stopped = demo.read(catalog, config=config, state=states)
    before_kill: list[int] = []
    kept: dict[str, Any] | None = None
    for message in stopped.messages:  # as if the command had been killed right after its third checkpoint
        if message["type"] == "RECORD":
            before_kill.append(message["record"]["data"]["field_id"])
        elif message["type"] == "STATE":
            kept = message["state"]
            if len([m for m in stopped.messages[: stopped.messages.index(message) + 1] if m["type"] == "STATE"]) == 3:
                break
    assert kept is not None and 0 < len(before_kill) < len(edited)
    previous_pass = states[0]["stream"]["stream_state"]["checked_at"]
    assert kept["stream"]["stream_state"]["checked_at"] == previous_pass  # not a complete pass: the window stays
    world.clock.advance(60)
    resumed = demo.read(catalog, config=config, state=[kept])
    after = [record["field_id"] for record in resumed.records(SUMMARY_FIELDS)]
    assert sorted(before_kill + after) == sorted(edited)  # every edit once
    assert resumed.final_states()[0]["stream"]["stream_state"]["checked_at"] != previous_pass  # now it is complete
