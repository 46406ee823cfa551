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


def test_a_history_call_is_also_limited_to_30_a_minute_whatever_the_rate_limit(serve) -> None:
    world, http = serve("demo", rate_limit=100000)
    plan = world.sheet_named("Website Relaunch Plan")
    path = f"/sheets/{plan.id}/rows/{plan.rows[1].id}/columns/{plan.column_by_title('Status').id}/history"
    assert [http.get(path).status for _ in range(31)] == [200] * 30 + [429]
    assert http.get("/users/me").status == 200  # the token's other calls are not held back by it


def _shares(http, sheet_id: int, **params):  # type: ignore[no-untyped-def]
    return http.get("/shares", assetType="sheet", assetId=sheet_id, **params).body


def test_shares_name_their_user_or_group_by_string_ids_and_say_where_they_come_from(demo) -> None:
    world, http = demo
    plan = world.sheet_named("Website Relaunch Plan")
    budget = world.sheet_named("2026 Marketing Budget")
    own = _shares(http, plan.id)["items"]  # sharingInclude=ITEM is the default
    assert {(share["type"], share["accessLevel"], share["scope"]) for share in own} == {
        ("USER", "OWNER", "ITEM"),
        ("USER", "EDITOR_SHARE", "ITEM"),
    }
    assert all(isinstance(share["userId"], str) and share["userId"].isdigit() for share in own)
    with_workspace = _shares(http, budget.id, sharingInclude="WORKSPACE")["items"]
    group = next(share for share in with_workspace if share["type"] == "GROUP")
    assert group["scope"] == "WORKSPACE" and group["name"] == "Marketing" and group["groupId"].isdigit()
    assert {share["scope"] for share in with_workspace} == {"ITEM", "WORKSPACE"}  # "both", the default play
    world.workspace_scope_shares = "inherited"
    assert {share["scope"] for share in _shares(http, budget.id, sharingInclude="WORKSPACE")["items"]} == {"WORKSPACE"}
    owner_shares = [
        next(share["id"] for share in _shares(http, sheet.id)["items"] if share["accessLevel"] == "OWNER")
        for sheet in (plan, budget)
    ]
    assert owner_shares[0] == owner_shares[1]  # a share's id names its user: the same on every sheet
    assert http.get("/shares", assetType="sheet", assetId="x").status == 400


def test_shares_are_token_paged_by_at_least_100(demo) -> None:
    world, http = demo
    plan = world.sheet_named("Website Relaunch Plan")
    for n in range(130):
        world.share(plan, world.add_user(f"u{n}@example.com", "U", str(n)))
    first = _shares(http, plan.id, maxItems=10)  # below the minimum: 100
    assert len(first["items"]) == 100 and "data" not in first
    second = _shares(http, plan.id, maxItems=10, lastKey=first["lastKey"])
    assert len(second["items"]) == 32 and "lastKey" not in second


def test_the_calls_switched_off_on_2026_06_03_answer_404_and_the_old_api_switch_answers_them(demo) -> None:
    world, http = demo
    plan = world.sheet_named("Website Relaunch Plan")
    assert http.get("/templates").status == 404
    assert http.get(f"/sheets/{plan.id}/shares").status == 404
    world.old_api = True
    assert [t["name"] for t in http.get("/templates").body["data"]] == ["Project Plan Template"]
    shares = http.get(f"/sheets/{plan.id}/shares").body["data"]
    assert all(isinstance(share["userId"], int) for share in shares)  # numbers, as the old call said them


def test_templates_are_children_of_their_workspace_only_listed_with_sheets(demo) -> None:
    world, http = demo
    workspace = next(iter(world.workspaces.values()))
    path = f"/workspaces/{workspace.id}/children"
    with_sheets = http.get(path, childrenResourceTypes="sheets,templates").body["data"]
    [template] = [child for child in with_sheets if child["resourceType"] == "template"]
    assert template["name"] == "Project Plan Template" and "description" not in template
    assert http.get(path, childrenResourceTypes="templates").body["data"] == []  # alone, they are dropped


def test_dashboards_list_and_show_their_widgets_sources(demo) -> None:
    world, http = demo
    [listed] = http.get("/sights").body["data"]
    dashboard = http.get(f"/sights/{listed['id']}").body
    sources = [widget["contents"].get("sheetId") for widget in dashboard["widgets"]]
    assert sources == [world.sheet_named("Website Relaunch Plan").id, world.sheet_named("Support Issue Tracker").id, None]
    assert http.get("/sights/1").status == 404


def test_dashboards_are_token_paged_and_ignore_the_old_words(demo) -> None:
    world, http = demo
    for n in range(121):
        world.add_dashboard(f"Board {n:03d}", [])
    first = http.get("/sights", includeAll="true", pageSize=500, page=1).body
    assert len(first["data"]) == 100 and "lastKey" in first and "totalPages" not in first
    rest = http.get("/sights", lastKey=first["lastKey"]).body
    assert len(rest["data"]) == 22 and "lastKey" not in rest
    world.old_api = True
    assert len(http.get("/sights", includeAll="true").body["data"]) == 122


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
