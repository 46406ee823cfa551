"""The test-controlled clock, and mutations that move modifiedAt and version like the service."""

from __future__ import annotations

from smartsheet_emulator import Clock, utc
from smartsheet_emulator.clock import iso, parse_iso


def test_frozen_clock_moves_only_when_told() -> None:
    clock = Clock(utc(2026, 1, 1))
    assert clock.now() == clock.now() == utc(2026, 1, 1)
    clock.advance(1.5)
    assert clock.now() == utc(2026, 1, 1, 0, 0, 1).replace(microsecond=500000)


def test_timestamps_render_as_utc_seconds_with_z_and_parse_all_forms() -> None:
    moment = utc(2026, 1, 1, 12, 0, 5).replace(microsecond=999)
    assert iso(moment) == "2026-01-01T12:00:05Z"
    assert parse_iso("2015-01-09T11:41:55-08:00") == utc(2015, 1, 9, 19, 41, 55)
    assert parse_iso("2015-01-09T19:41:55+00:00") == parse_iso("2015-01-09T19:41:55Z")


def test_update_moves_row_modified_at_and_sheet_version(edge) -> None:
    world, _ = edge
    sheet = world.sheet_named("Deep Sheet")
    row = sheet.rows[0]
    version = sheet.version
    world.clock.advance(42)
    world.update_row(sheet, row, {"Qty": 99})
    assert row.modified_at == world.clock.now() == sheet.modified_at
    assert sheet.version == version + 1
    assert row.created_at < row.modified_at


def test_add_row_under_a_parent_goes_after_its_children(edge) -> None:
    world, http = edge
    sheet = world.sheet_named("Hierarchy")
    parent = sheet.rows[0]
    new = world.add_row(sheet, {"Node": "late child"}, parent=parent)
    assert sheet.rows[-1] is new and new.parent_id == parent.id


def test_delete_row_removes_it_and_its_children(edge) -> None:
    world, http = edge
    sheet = world.sheet_named("Hierarchy")
    version = sheet.version
    world.delete_row(sheet, sheet.rows[5])
    assert len(sheet.rows) == 5
    assert sheet.version == version + 1


def test_column_changes_move_the_version_but_no_row(edge) -> None:
    world, http = edge
    sheet = world.sheet_named("Deep Sheet")
    stamps = [row.modified_at for row in sheet.rows]
    version = sheet.version
    world.clock.advance(10)
    column = world.add_column(sheet, world.column("Colour", "PICKLIST", options=["red"]))
    world.rename_column(sheet, column, "Color")
    world.retype_column(sheet, column, "TEXT_NUMBER")
    world.delete_column(sheet, sheet.column_by_title("Qty"))
    assert [row.modified_at for row in sheet.rows] == stamps
    assert sheet.version == version + 4
    body = http.get(f"/sheets/{sheet.id}").body
    assert [c["title"] for c in body["columns"]] == ["Item", "Color"]
    assert all(len(row["cells"]) == 2 for row in body["rows"])


def test_retyped_column_keeps_values_as_text_where_they_do_not_fit(edge) -> None:
    world, http = edge
    sheet = world.sheet_named("Deep Sheet")
    qty = sheet.column_by_title("Qty")
    world.retype_column(sheet, qty, "DATE")
    body = http.get(f"/sheets/{sheet.id}", level=2, include="objectValue").body
    cell = next(c for c in body["rows"][0]["cells"] if c["columnId"] == qty.id)
    assert cell["value"] == 12.0 and "objectValue" in cell
