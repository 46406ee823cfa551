"""GET /reports/{id}: virtual columns, rows from many sheets, levels and paging."""

from __future__ import annotations


def _report(world):
    return next(iter(world.reports.values()))


def test_report_columns_have_virtual_ids_and_a_sheet_name_column(edge) -> None:
    world, http = edge
    body = http.get(f"/reports/{_report(world).id}", level=3, include="objectValue").body
    assert all("virtualId" in column and "id" not in column for column in body["columns"])
    assert body["columns"][0]["sheetNameColumn"] is True


def test_report_rows_carry_sheet_id_and_cells_virtual_column_ids(edge) -> None:
    world, http = edge
    report = _report(world)
    body = http.get(f"/reports/{report.id}", pageSize=1000).body
    sources = {world.sheets[i].id for i in report.source_sheet_ids}
    assert {row["sheetId"] for row in body["rows"]} == sources
    assert body["totalRowCount"] == sum(len(world.sheets[i].rows) for i in report.source_sheet_ids)
    for row in body["rows"]:
        assert all("virtualColumnId" in cell for cell in row["cells"])
    assert [row["rowNumber"] for row in body["rows"]] == list(range(1, len(body["rows"]) + 1))


def test_report_multi_picklist_needs_level_3(edge) -> None:
    world, http = edge
    report = _report(world)
    types = {
        level: {c["title"]: c["type"] for c in http.get(f"/reports/{report.id}", level=level).body["columns"]} for level in (2, 3)
    }
    assert types[2]["Multi Picklist"] == "TEXT_NUMBER"
    assert types[3]["Multi Picklist"] == "MULTI_PICKLIST"


def test_report_pages_default_to_100_and_repeat_the_last(edge) -> None:
    world, http = edge
    report = _report(world)
    first = http.get(f"/reports/{report.id}", pageSize=5, page=1).body
    beyond = http.get(f"/reports/{report.id}", pageSize=5, page=99).body
    assert len(first["rows"]) == 5
    assert beyond["rows"] and beyond["rows"] == http.get(f"/reports/{report.id}", pageSize=5, page=3).body["rows"]
