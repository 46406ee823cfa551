"""Summaries, discussions, comments, attachments and columns, as docs/smartsheet-api.md "Around rows" says."""

from __future__ import annotations

import pytest


@pytest.fixture
def demo(serve):  # type: ignore[no-untyped-def]
    return serve("demo")


def test_summary_fields_carry_object_and_display_values_and_no_value_key(demo) -> None:
    world, http = demo
    plan = world.sheet_named("Website Relaunch Plan")
    body = http.get(f"/sheets/{plan.id}/summary", include="writerInfo").body
    fields = {field["title"]: field for field in body["fields"]}
    assert list(fields) == ["Status", "Owner", "Budget", "% Complete", "Go-live"]
    assert [field["index"] for field in body["fields"]] == [0, 1, 2, 3, 4]
    assert not any("value" in field for field in body["fields"])
    assert fields["Owner"]["objectValue"] == {"objectType": "CONTACT", "email": "ana.souza@example.com", "name": "Ana Souza"}
    assert fields["Budget"]["objectValue"] == 48000 and fields["Status"]["displayValue"] == "On Track"
    assert fields["Status"]["createdBy"]["email"] == "owner@example.com" and "modifiedAt" in fields["Status"]
    lean = http.get(f"/sheets/{plan.id}/summary", exclude="displayValue").body["fields"]
    assert not any("displayValue" in field or "createdBy" in field for field in lean)


def test_the_same_title_can_hold_another_type_on_another_sheet(demo) -> None:
    world, http = demo
    tracker = world.sheet_named("Support Issue Tracker")
    fields = {field["title"]: field for field in http.get(f"/sheets/{tracker.id}/summary").body["fields"]}
    assert fields["Budget"]["objectValue"] == "n/a (support)"


def test_summary_edge_cases_formula_error_empty_summary_and_paged_fields(edge) -> None:
    world, http = edge
    types = world.sheet_named("Every Column Type")
    fields = {field["title"]: field for field in http.get(f"/sheets/{types.id}/summary").body["fields"]}
    assert fields["Ratio"]["objectValue"] == "#DIVIDE BY ZERO" and fields["Ratio"]["formula"] == "=1/0"
    assert fields["Checked"]["objectValue"] is True
    assert "T" * 200 in fields
    empty = world.sheet_named("Empty Sheet")
    assert http.get(f"/sheets/{empty.id}/summary").body == {}  # no summary: no `fields` key
    page = http.get(f"/sheets/{types.id}/summary/fields", pageSize=2, page=2).body
    assert (page["totalCount"], page["totalPages"], [f["index"] for f in page["data"]]) == (3, 2, [2])


def test_discussions_with_comments_and_their_attachments_only_when_included(demo) -> None:
    world, http = demo
    plan = world.sheet_named("Website Relaunch Plan")
    bare = http.get(f"/sheets/{plan.id}/discussions", includeAll="true").body["data"]
    assert {d["parentType"] for d in bare} == {"SHEET", "ROW"} and not any("comments" in d for d in bare)
    review = next(d for d in bare if d["parentType"] == "ROW")
    assert review["parentId"] == plan.rows[4].id and review["commentCount"] == 2
    assert review["title"] == "Can we move the wireframe review to Thursday?"
    assert review["lastCommentedAt"] > next(d for d in bare if d["parentType"] == "SHEET")["lastCommentedAt"]
    full = http.get(f"/sheets/{plan.id}/discussions", include="comments,attachments").body["data"]
    kickoff = next(d for d in full if d["parentType"] == "SHEET")
    (comment,) = kickoff["comments"]
    assert comment["discussionId"] == kickoff["id"] and comment["attachments"][0]["parentType"] == "COMMENT"
    assert [a["name"] for a in kickoff["commentAttachments"]] == ["kickoff.pdf"]
    comments_only = http.get(f"/sheets/{plan.id}/discussions", include="comments").body["data"]
    assert not any("commentAttachments" in d or "attachments" in c for d in comments_only for c in d["comments"])


def test_a_500_comment_discussion_pages_and_an_empty_one_has_no_last_comment(edge) -> None:
    world, http = edge
    types = world.sheet_named("Every Column Type")
    discussions = http.get(f"/sheets/{types.id}/discussions", include="comments").body["data"]
    empty = next(d for d in discussions if d["commentCount"] == 0)
    assert empty["title"] == "" and "lastCommentedAt" not in empty and empty["comments"] == []
    busy = next(d for d in discussions if d["commentCount"] == 500)
    assert len(busy["comments"]) == 500 and busy["lastCommentedAt"] == busy["comments"][-1]["createdAt"]
    titles = world.sheet_named("Títulos — unicode & collisions!")
    (long,) = http.get(f"/sheets/{titles.id}/discussions").body["data"]
    assert long["title"] == "x" * 100


def test_attachments_of_every_level_without_a_download_link(demo) -> None:
    world, http = demo
    plan = world.sheet_named("Website Relaunch Plan")
    body = http.get(f"/sheets/{plan.id}/attachments").body
    by_name = {attachment["name"]: attachment for attachment in body["data"]}
    assert {a["parentType"] for a in body["data"]} == {"SHEET", "ROW", "COMMENT"}
    assert by_name["wireframes-v2.fig"]["sizeInKb"] == 5400 and "url" not in by_name["wireframes-v2.fig"]
    assert by_name["Brand guidelines"]["attachmentType"] == "LINK" and by_name["Brand guidelines"]["url"]


def test_columns_are_an_index_result(demo) -> None:
    world, http = demo
    plan = world.sheet_named("Website Relaunch Plan")
    body = http.get(f"/sheets/{plan.id}/columns", includeAll="true", level=2).body
    assert [column["title"] for column in body["data"]] == [column.title for column in plan.columns]
    assert body["totalCount"] == len(plan.columns) and "pageSize" not in body


@pytest.mark.parametrize("unlisted_move", [False, True])
def test_a_comment_moves_the_version_as_documented_and_unlisted_changes_only_when_the_world_says_so(demo, unlisted_move) -> None:
    world, http = demo
    world.unlisted_changes_move_version = unlisted_move
    plan = world.sheet_named("Website Relaunch Plan")

    def version() -> int:
        return int(http.get(f"/sheets/{plan.id}", pageSize=1).body["version"])

    before = version()
    comment = world.add_comment(plan, plan.discussions[0], "One more thing.")
    assert version() == before + 1  # documented: add/modify discussion/comment
    for unlisted in (
        lambda: world.delete_comment(plan, comment),
        lambda: world.add_attachment(plan, "notes.txt", plan, mime_type="text/plain", size_in_kb=1),
        lambda: world.set_summary_value(plan, plan.summary[0], "Off Track"),
    ):
        before = version()
        unlisted()
        assert (version() > before) is unlisted_move


def test_unshared_sheet_hides_its_discussions(demo) -> None:
    world, http = demo
    plan = world.sheet_named("Website Relaunch Plan")
    world.revoke(plan)
    assert http.get(f"/sheets/{plan.id}/discussions").status == 403
    assert http.get("/sheets/1234567890123456/attachments").status == 404


@pytest.mark.parametrize("honoured", [True, False])
def test_a_sheet_read_carries_its_summary_with_include_summary_only_in_the_mode_that_honours_it(demo, honoured) -> None:
    world, http = demo
    world.sheet_reads_include_summary = honoured
    plan = world.sheet_named("Website Relaunch Plan")
    body = http.get(f"/sheets/{plan.id}", pageSize=1, include="objectValue,summary", level=2).body
    assert ("summary" in body) is honoured
    if honoured:
        alone = http.get(f"/sheets/{plan.id}/summary").body
        assert body["summary"]["fields"] == alone["fields"]  # the same fields as GET /sheets/{id}/summary
    assert "summary" not in http.get(f"/sheets/{plan.id}", pageSize=1).body


def test_a_sheet_read_with_include_discussions_and_attachments_carries_them_where_they_belong(demo) -> None:
    """Sheet-level ones on the sheet, row-level ones on their rows (paged with them), discussions without comments,
    comments' attachments on their discussion only when both words are asked (docs/smartsheet-api.md)."""
    world, http = demo
    plan = world.sheet_named("Website Relaunch Plan")
    pages = [http.get(f"/sheets/{plan.id}", page=page, pageSize=5, include="discussions,attachments").body for page in (1, 2, 3)]
    discussions = list(pages[0].get("discussions", [])) + [
        d for page in pages for row in page["rows"] for d in row.get("discussions", [])
    ]
    attachments = list(pages[0].get("attachments", [])) + [
        a for page in pages for row in page["rows"] for a in row.get("attachments", [])
    ]
    assert sorted(d["id"] for d in discussions) == sorted(d.id for d in plan.discussions)
    assert all("comments" not in d for d in discussions)
    on_comments = [a["id"] for d in discussions for a in d["commentAttachments"]]
    truth = {a.id for a in plan.attachments} | {a.id for d in plan.discussions for c in d.comments for a in c.attachments}
    assert on_comments  # kickoff.pdf, on a comment
    assert {a["id"] for a in attachments} | set(on_comments) == truth
    alone = http.get(f"/sheets/{plan.id}", page=1, pageSize=5, include="discussions").body
    assert all("commentAttachments" not in d for d in alone.get("discussions", []))
