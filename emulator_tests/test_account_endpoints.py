"""Cell history, shares, dashboards, users and groups, as docs/smartsheet-api.md "The account around the sheets, and
history" says."""

from __future__ import annotations

import pytest


@pytest.fixture
def demo(serve):  # type: ignore[no-untyped-def]
    return serve("demo")


def test_a_cells_history_is_every_value_it_was_given_newest_first(demo) -> None:
    world, http = demo
    plan = world.sheet_named("Website Relaunch Plan")
    row, status = plan.rows[3], plan.column_by_title("Status")
    before = row.cells[status.id]
    world.clock.advance(60)
    world.update_row(plan, row, {"Status": "Complete"}, user=world.users[-1])
    world.clock.advance(60)
    world.blank_row(plan, row)
    path = f"/sheets/{plan.id}/rows/{row.id}/columns/{status.id}/history"
    body = http.get(path, include="columnType").body
    assert [cell.get("value") for cell in body["data"]] == [None, "Complete", before]
    assert body["data"][1]["modifiedBy"]["email"] == world.users[-1].email
    assert body["data"][1]["columnType"] == "PICKLIST" and body["totalCount"] == 3
    assert body["data"][0]["modifiedAt"] > body["data"][1]["modifiedAt"] > body["data"][2]["modifiedAt"]
    paged = http.get(path, pageSize=2, page=2).body
    assert [cell.get("value") for cell in paged["data"]] == [before] and paged["totalPages"] == 2
    assert http.get(f"/sheets/{plan.id}/rows/1/columns/{status.id}/history").status == 404


def test_a_history_call_counts_as_ten_requests_in_the_rate_limit(serve) -> None:
    world, http = serve("demo", rate_limit=25)
    plan = world.sheet_named("Website Relaunch Plan")
    path = f"/sheets/{plan.id}/rows/{plan.rows[1].id}/columns/{plan.column_by_title('Status').id}/history"
    assert [http.get(path).status for _ in range(3)] == [200, 200, 429]  # 10 + 10, then 30 > 25
    assert http.get("/users/me").status == 200  # one plain request still fits (21 of 25)
    assert http.emulator.stats.snapshot()["units"] == 10 + 10 + 10 + 1


def test_shares_name_their_user_or_group_and_say_where_they_come_from(demo) -> None:
    world, http = demo
    plan = world.sheet_named("Website Relaunch Plan")
    budget = world.sheet_named("2026 Marketing Budget")
    own = http.get(f"/sheets/{plan.id}/shares").body["data"]
    assert {(share["type"], share["accessLevel"], share["scope"]) for share in own} == {
        ("USER", "OWNER", "ITEM"),
        ("USER", "EDITOR_SHARE", "ITEM"),
    }
    with_workspace = http.get(f"/sheets/{budget.id}/shares", include="workspaceShares").body["data"]
    group = next(share for share in with_workspace if share["type"] == "GROUP")
    assert group["scope"] == "WORKSPACE" and group["name"] == "Marketing" and "groupId" in group
    owner_shares = [
        next(share["id"] for share in http.get(f"/sheets/{sheet.id}/shares").body["data"] if share["accessLevel"] == "OWNER")
        for sheet in (plan, budget)
    ]
    assert owner_shares[0] == owner_shares[1]  # a share's id names its user: the same on every sheet


def test_dashboards_list_and_show_their_widgets_sources(demo) -> None:
    world, http = demo
    [listed] = http.get("/sights").body["data"]
    dashboard = http.get(f"/sights/{listed['id']}").body
    sources = [widget["contents"].get("sheetId") for widget in dashboard["widgets"]]
    assert sources == [world.sheet_named("Website Relaunch Plan").id, world.sheet_named("Support Issue Tracker").id, None]
    assert http.get("/sights/1").status == 404


@pytest.mark.parametrize("answer", ["403", "self"])
def test_users_and_groups_for_a_token_that_is_not_an_admins(demo, answer) -> None:
    world, http = demo
    world.listings_for_non_admins = answer
    member = world.users[1]  # in the Marketing group
    world.add_token("member", member, admin=False)
    assert len(http.get("/users").body["data"]) == len(world.users)  # the owner's token: an admin's
    users, groups = http.get("/users", token="member"), http.get("/groups", token="member")
    if answer == "403":
        assert (users.status, users.body["errorCode"], groups.status) == (403, 1004, 403)
    else:
        assert [user["email"] for user in users.body["data"]] == [member.email]
        assert [group["name"] for group in groups.body["data"]] == ["Marketing"]


def test_a_report_names_its_source_sheets_when_asked(serve) -> None:
    world, http = serve("edge")
    report = next(iter(world.reports.values()))
    body = http.get(f"/reports/{report.id}", include="sourceSheets", pageSize=1).body
    assert sorted(sheet["id"] for sheet in body["sourceSheets"]) == sorted(report.source_sheet_ids)
    assert "sourceSheets" not in http.get(f"/reports/{report.id}", pageSize=1).body
