"""The account streams' and sheet_shares' records from the API's shapes (`schema_mapping/account.py`)."""

from __future__ import annotations

import pytest

from source_smartsheets.schema_mapping.account import dashboard_record, share_records

USER = {"id": "AAA", "type": "USER", "userId": "11", "email": "ana@example.com", "name": "Ana"}  # `GET /shares`: strings
GROUP = {"id": "GGG", "type": "GROUP", "groupId": "22", "name": "Marketing"}


@pytest.mark.parametrize(
    ("shares", "expected"),
    [
        pytest.param([{**USER, "accessLevel": "EDITOR", "scope": "ITEM"}], {11: ("EDITOR", "EDITOR", None, False)}, id="direct"),
        pytest.param(
            [{**GROUP, "accessLevel": "VIEWER", "scope": "WORKSPACE"}], {22: ("VIEWER", None, "VIEWER", True)}, id="workspace"
        ),
        pytest.param(
            [{**USER, "accessLevel": "VIEWER", "scope": "ITEM"}, {**USER, "accessLevel": "ADMIN", "scope": "WORKSPACE"}],
            {11: ("ADMIN", "VIEWER", "ADMIN", False)},
            id="both: one record, the higher level",
        ),
        pytest.param(
            [{**USER, "userId": 11, "accessLevel": "EDITOR", "scope": "ITEM"}],
            {11: ("EDITOR", "EDITOR", None, False)},
            id="an id said as a number (the old call) reads too",
        ),
    ],
)
def test_one_share_record_per_user_or_group(shares, expected) -> None:
    records, skipped = share_records(1, "plan", shares, "2026-01-05T09:00:00Z")
    assert skipped == []
    found = {
        r["principal_id"]: (r["access_level"], r["item_access_level"], r["workspace_access_level"], r["from_workspace"])
        for r in records
    }
    assert found == expected


@pytest.mark.parametrize(
    ("share", "said"),
    [
        pytest.param({"id": "X", "type": "USER", "accessLevel": "VIEWER"}, "share 'X' (USER, id None)", id="no principal"),
        pytest.param({**USER, "userId": "ana"}, "share 'AAA' (USER, id 'ana')", id="an id that holds no number"),
        pytest.param({**GROUP, "groupId": "12ab"}, "share 'GGG' (GROUP, id '12ab')", id="digits and letters"),
        pytest.param({**USER, "userId": True}, "share 'AAA' (USER, id True)", id="a boolean is no id"),
    ],
)
def test_a_share_whose_id_holds_no_number_is_left_out_and_named(share, said) -> None:
    records, skipped = share_records(1, "plan", [share, {**GROUP, "accessLevel": "VIEWER", "scope": "ITEM"}], "t")
    assert [r["principal_id"] for r in records] == [22]  # the other share still arrives
    assert skipped == [said]


def test_a_dashboard_names_the_sheets_and_reports_its_widgets_show() -> None:
    listed = {"id": 5, "name": "Ops", "accessLevel": "OWNER"}
    widgets = [
        {"type": "GRID", "title": "a", "contents": {"sheetId": 3}},
        {"type": "REPORT", "title": "b", "contents": {"reportId": 4}},
        {"type": "CHART", "title": "c", "contents": {"sheetId": 3}},
        {"type": "RICHTEXT", "title": "d"},
    ]
    record = dashboard_record(listed, {"id": 5, "widgets": widgets})
    assert record["source_sheet_ids"] == [3] and record["source_report_ids"] == [4]
    assert [w["type"] for w in record["widgets"]] == ["GRID", "REPORT", "CHART", "RICHTEXT"]
    assert record["name"] == "Ops" and record["access_level"] == "OWNER"
