"""GET /sheets/{id}: paging, filters, levels and the shape of every cell type."""

from __future__ import annotations

import json
from datetime import timedelta

from emulator_tests.conftest import cells_by_title
from smartsheet_emulator.worlds import EDGE_TEXT


def _sheet(world, name):
    return world.sheet_named(name)


def test_no_paging_params_returns_every_row(serve) -> None:
    world, http = serve("many")
    sheet = next(iter(world.sheets.values()))
    body = http.get(f"/sheets/{sheet.id}").body
    assert len(body["rows"]) == body["totalRowCount"] == 40


def test_page_only_returns_100_rows(serve) -> None:
    world, http = serve("large")
    sheet = world.sheet_named("Large Sheet")
    body = http.get(f"/sheets/{sheet.id}", page=2).body
    assert len(body["rows"]) == 100
    assert body["rows"][0]["rowNumber"] == 101


def test_page_past_the_end_repeats_the_last_page(edge) -> None:
    world, http = edge
    sheet = _sheet(world, "Every Column Type")
    last = http.get(f"/sheets/{sheet.id}", page=3, pageSize=5).body
    beyond = http.get(f"/sheets/{sheet.id}", page=50, pageSize=5).body
    assert [row["id"] for row in beyond["rows"]] == [row["id"] for row in last["rows"]]
    assert beyond["rows"], "a page past the end is never empty"


def test_total_row_count_is_the_sheet_total_under_filters(edge) -> None:
    world, http = edge
    sheet = _sheet(world, "Every Column Type")
    world.clock.advance(100)
    world.update_row(sheet, sheet.rows[0], {"Name": "changed"})
    since = (world.clock.now()).strftime("%Y-%m-%dT%H:%M:%SZ")
    before = (world.clock.now() - timedelta(seconds=50)).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = http.get(f"/sheets/{sheet.id}", rowsModifiedSince=before).body
    assert body["totalRowCount"] == len(sheet.rows)
    assert [row["id"] for row in body["rows"]] == [sheet.rows[0].id]
    assert http.get(f"/sheets/{sheet.id}", rowsModifiedSince=since).body["rows"] == []


def test_rows_modified_since_is_strictly_after_at_one_second_resolution(edge) -> None:
    world, http = edge
    sheet = _sheet(world, "Deep Sheet")
    world.clock.advance(100.4)
    world.update_row(sheet, sheet.rows[0], {"Qty": 1})
    stamp = sheet.rows[0].modified_at.replace(microsecond=0)
    same_second = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    one_before = stamp.replace(second=stamp.second - 1).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert http.get(f"/sheets/{sheet.id}", rowsModifiedSince=same_second).body["rows"] == []
    assert len(http.get(f"/sheets/{sheet.id}", rowsModifiedSince=one_before).body["rows"]) == 1
    offset_form = stamp.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    assert http.get(f"/sheets/{sheet.id}", rowsModifiedSince=offset_form).body["rows"] == []


def test_rows_modified_since_is_applied_after_paging(serve) -> None:
    world, http = serve("large")
    sheet = world.sheet_named("Large Sheet")
    world.clock.advance(3600)
    world.update_row(sheet, sheet.rows[2500], {"Column 01": "changed"})
    since = (world.clock.now().replace(microsecond=0) - timedelta(seconds=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    counts = [
        len(http.get(f"/sheets/{sheet.id}", page=page, pageSize=1000, rowsModifiedSince=since).body["rows"])
        for page in (1, 2, 3, 4)
    ]
    assert counts == [0, 0, 1, 0]  # an empty page in the middle does not mean the end


def test_blank_rows_are_invisible_to_rows_modified_since(edge) -> None:
    world, http = edge
    sheet = _sheet(world, "Deep Sheet")
    world.clock.advance(60)
    world.blank_row(sheet, sheet.rows[0])
    body = http.get(f"/sheets/{sheet.id}", rowsModifiedSince="2026-01-05T09:00:00Z").body
    assert body["rows"] == []
    assert len(http.get(f"/sheets/{sheet.id}").body["rows"]) == 1  # the row still exists


def test_if_version_after_returns_only_the_version_when_unchanged(edge) -> None:
    world, http = edge
    sheet = _sheet(world, "Deep Sheet")
    assert http.get(f"/sheets/{sheet.id}", ifVersionAfter=sheet.version).body == {"version": sheet.version}
    assert "rows" in http.get(f"/sheets/{sheet.id}", ifVersionAfter=sheet.version - 1).body
    assert http.get(f"/sheets/{sheet.id}/version").body == {"version": sheet.version}


def test_column_ids_and_row_ids_narrow_the_answer(edge) -> None:
    world, http = edge
    sheet = _sheet(world, "Every Column Type")
    column = sheet.columns[1]
    body = http.get(f"/sheets/{sheet.id}", columnIds=str(column.id), rowIds=f"{sheet.rows[0].id},{sheet.rows[1].id}").body
    assert [c["id"] for c in body["columns"]] == [column.id]
    assert [row["id"] for row in body["rows"]] == [sheet.rows[0].id, sheet.rows[1].id]
    assert all([cell["columnId"] for cell in row["cells"]] == [column.id] for row in body["rows"])


def test_exclude_nonexistent_cells_drops_never_touched_cells(edge) -> None:
    world, http = edge
    sheet = _sheet(world, "Every Column Type")
    plain = http.get(f"/sheets/{sheet.id}", rowIds=str(sheet.rows[1].id)).body["rows"][0]
    trimmed = http.get(f"/sheets/{sheet.id}", rowIds=str(sheet.rows[1].id), exclude="nonexistentCells").body["rows"][0]
    assert len(plain["cells"]) == len(sheet.columns)
    assert len(trimmed["cells"]) < len(plain["cells"])


def test_multi_types_degrade_below_their_level_but_keep_version(edge) -> None:
    world, http = edge
    sheet = _sheet(world, "Every Column Type")
    by_level = {
        level: {c["title"]: c for c in http.get(f"/sheets/{sheet.id}", level=level).body["columns"]} for level in (0, 1, 2)
    }
    assert by_level[0]["Multi Picklist"]["type"] == "TEXT_NUMBER"
    assert by_level[1]["Multi Picklist"]["type"] == "TEXT_NUMBER"
    assert by_level[2]["Multi Picklist"]["type"] == "MULTI_PICKLIST"
    assert by_level[0]["Multi Picklist"]["version"] == 2
    assert by_level[0]["Multi Contact"]["type"] == "TEXT_NUMBER"
    assert by_level[1]["Multi Contact"]["type"] == "MULTI_CONTACT_LIST"
    assert by_level[0]["Multi Contact"]["version"] == 1
    row0 = http.get(f"/sheets/{sheet.id}", level=0).body
    assert cells_by_title(row0, row0["rows"][0])["Multi Picklist"]["value"] == "a, c"


def test_cell_shapes_with_object_value_at_level_2(edge) -> None:
    world, http = edge
    sheet = _sheet(world, "Every Column Type")
    body = http.get(f"/sheets/{sheet.id}", level=2, include="objectValue").body
    cells = cells_by_title(body, body["rows"][0])
    assert cells["Number"] == {"columnId": cells["Number"]["columnId"], "value": 42.0, "objectValue": 42.0, "displayValue": "42"}
    assert cells["Date"]["objectValue"] == {"objectType": "DATE", "value": "2026-02-28"}
    assert "displayValue" not in cells["Date"]
    assert cells["Checkbox"] == {"columnId": cells["Checkbox"]["columnId"], "value": True, "objectValue": True}
    assert "value" not in cells["Multi Picklist"]
    assert cells["Multi Picklist"]["objectValue"] == {"objectType": "MULTI_PICKLIST", "values": ["a", "c"]}
    assert cells["Multi Picklist"]["displayValue"] == "a, c"
    assert cells["Contact"]["value"] == "ana.souza@example.com"
    assert cells["Contact"]["displayValue"] == "Ana Souza"
    assert cells["Contact"]["objectValue"]["objectType"] == "CONTACT"
    assert cells["Multi Contact"]["objectValue"]["objectType"] == "MULTI_CONTACT"
    assert len(cells["Multi Contact"]["objectValue"]["values"]) == 2
    assert cells["Duration"]["value"] == "4d 6h 30m"
    assert cells["Duration"]["objectValue"] == {"objectType": "DURATION", "days": 4, "hours": 6, "minutes": 30}
    assert cells["Auto"]["value"] == "E-001-X"
    assert cells["Created"]["value"] == body["rows"][0]["createdAt"]
    assert cells["Modified By"]["objectValue"]["email"] == "owner@example.com"
    assert b'"value":42.0' in http.get(f"/sheets/{sheet.id}").raw  # numbers go out as 42.0


def test_zero_false_and_predecessors_keep_their_shape(edge) -> None:
    world, http = edge
    sheet = _sheet(world, "Every Column Type")
    body = http.get(f"/sheets/{sheet.id}", level=2, include="objectValue").body
    cells = cells_by_title(body, body["rows"][1])
    assert cells["Number"]["value"] == 0.0
    assert cells["Checkbox"]["value"] is False
    assert cells["Picklist"]["value"] == 7.0
    predecessors = cells["Predecessors"]["objectValue"]
    assert predecessors["objectType"] == "PREDECESSOR_LIST"
    assert predecessors["predecessors"][0]["rowNumber"] == 1
    assert cells["Predecessors"]["value"] == "1SS +2d"
    assert cells["Duration"]["objectValue"] == {"objectType": "DURATION", "days": 1.5, "negative": True}


def test_formula_errors_are_the_value_in_any_column_type(edge) -> None:
    world, http = edge
    sheet = _sheet(world, "Every Column Type")
    body = http.get(f"/sheets/{sheet.id}", level=2, include="objectValue").body
    cells = cells_by_title(body, body["rows"][2])
    assert cells["Date"]["value"] == "#INVALID DATA TYPE"
    assert cells["Date"]["formula"] == "=[Name]1"
    assert cells["Checkbox"]["value"] == "#CIRCULAR REFERENCE"
    assert cells["Number"]["value"] == "#DIVIDE BY ZERO"


def test_empty_and_untouched_cells_carry_no_value(edge) -> None:
    world, http = edge
    sheet = _sheet(world, "Every Column Type")
    body = http.get(f"/sheets/{sheet.id}", level=2, include="objectValue").body
    untouched = cells_by_title(body, body["rows"][1])["Checkbox"]
    assert "value" in untouched  # set to False, so present
    never = cells_by_title(body, body["rows"][0])["Predecessors"]
    assert set(never) == {"columnId"}


def test_huge_numbers_and_long_text_survive(edge) -> None:
    world, http = edge
    sheet = _sheet(world, "Every Column Type")
    body = http.get(f"/sheets/{sheet.id}").body
    values = [cells_by_title(body, row)["Number"].get("value") for row in body["rows"]]
    assert float(2**53 - 1) in values and float(-(2**53) + 1) in values
    names = [cells_by_title(body, row)["Name"].get("value") for row in body["rows"]]
    assert EDGE_TEXT in names and len(EDGE_TEXT) == 4000


def test_writer_info_and_row_permalink_are_added_on_request(edge) -> None:
    world, http = edge
    sheet = _sheet(world, "Deep Sheet")
    row = http.get(f"/sheets/{sheet.id}", include="writerInfo,rowPermalink").body["rows"][0]
    assert row["createdBy"] == {"email": "owner@example.com", "name": "Olivia Owner"}
    assert row["permalink"].startswith("https://app.smartsheet.com/sheets/")
    bare = http.get(f"/sheets/{sheet.id}").body["rows"][0]
    assert "createdBy" not in bare and "permalink" not in bare


def test_parent_child_rows_carry_parent_and_sibling_ids(edge) -> None:
    world, http = edge
    sheet = _sheet(world, "Hierarchy")
    rows = http.get(f"/sheets/{sheet.id}").body["rows"]
    assert "parentId" not in rows[0] and "siblingId" not in rows[0]
    for parent, child in zip(rows, rows[1:], strict=False):
        assert child["parentId"] == parent["id"]


def test_sheet_level_fields_and_workspace(edge) -> None:
    world, http = edge
    sheet = _sheet(world, "Deep Sheet")
    body = http.get(f"/sheets/{sheet.id}").body
    assert body["workspace"]["name"] == "Edge Cases"
    assert body["modifiedAt"].endswith("Z") and len(body["modifiedAt"]) == 20
    assert isinstance(body["version"], int)
    assert json.dumps(body)  # the whole answer is JSON
