"""Sheet, workspace, children, metadata and legacy listings: offset and token paging."""

from __future__ import annotations


def test_sheets_are_sorted_by_name_and_offset_paged(edge) -> None:
    _, http = edge
    first = http.get("/sheets", page=1, pageSize=3).body
    assert (first["pageNumber"], first["pageSize"], first["totalPages"], first["totalCount"]) == (1, 3, 3, 9)
    names = [item["name"] for page in (1, 2, 3) for item in http.get("/sheets", page=page, pageSize=3).body["data"]]
    assert names == sorted(names, key=str.lower)
    assert len(names) == 9


def test_sheets_page_past_the_end_repeats_the_last_page(edge) -> None:
    _, http = edge
    last = http.get("/sheets", page=3, pageSize=3).body
    beyond = http.get("/sheets", page=9, pageSize=3).body
    assert beyond["data"] == last["data"]


def test_sheets_include_all_omits_page_size(edge) -> None:
    _, http = edge
    body = http.get("/sheets", includeAll="true").body
    assert "pageSize" not in body
    assert (body["pageNumber"], body["totalPages"]) == (1, 1)


def test_sheets_include_sheet_version_adds_version(edge) -> None:
    world, http = edge
    item = http.get("/sheets", includeAll="true", include="sheetVersion").body["data"][0]
    assert item["version"] == world.sheets[item["id"]].version
    assert "version" not in http.get("/sheets", includeAll="true").body["data"][0]


def test_sheets_modified_since_is_inclusive(edge) -> None:
    world, http = edge
    world.clock.advance(3600)
    sheet = world.sheet_named("Deep Sheet")
    world.update_row(sheet, sheet.rows[0], {"Qty": 13})
    stamp = sheet.modified_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    names = [item["name"] for item in http.get("/sheets", includeAll="true", modifiedSince=stamp).body["data"]]
    assert names == ["Deep Sheet"]


def test_workspaces_token_paging_ends_without_last_key(serve) -> None:
    world, http = serve("demo")
    for index in range(4):
        world.add_workspace(f"Extra {index}")
    seen, last_key, pages = [], None, 0
    while True:
        body = http.get("/workspaces", maxItems=2, lastKey=last_key).body
        pages += 1
        seen += [item["id"] for item in body["data"]]
        last_key = body.get("lastKey")
        if last_key is None:
            break
    assert pages == 3
    assert len(seen) == len(set(seen)) == 5


def test_workspaces_without_paging_params_lists_all(serve) -> None:
    world, http = serve("demo")
    world.add_workspace("Second")
    body = http.get("/workspaces").body
    assert len(body["data"]) == 2
    assert "lastKey" not in body and "pageNumber" not in body


def test_workspace_children_have_resource_types_and_folders_lack_access_level(edge) -> None:
    world, http = edge
    workspace = world.workspace_named("Edge Cases")
    body = http.get(f"/workspaces/{workspace.id}/children").body
    kinds = {item["resourceType"] for item in body["data"]}
    assert kinds == {"folder", "sheet", "report"}
    for item in body["data"]:
        assert ("accessLevel" in item) == (item["resourceType"] != "folder")
    assert "lastKey" not in body


def test_children_resource_types_filter(edge) -> None:
    world, http = edge
    workspace = world.workspace_named("Edge Cases")
    body = http.get(f"/workspaces/{workspace.id}/children", childrenResourceTypes="folders").body
    assert {item["resourceType"] for item in body["data"]} == {"folder"}


def test_children_token_paging_with_max_items(edge) -> None:
    world, http = edge
    workspace = world.workspace_named("Edge Cases")
    everything = http.get(f"/workspaces/{workspace.id}/children").body["data"]
    collected, last_key = [], None
    while True:
        body = http.get(f"/workspaces/{workspace.id}/children", maxItems=2, lastKey=last_key).body
        collected += body["data"]
        last_key = body.get("lastKey")
        if not last_key:
            break
    assert collected == everything


def test_folder_children_walk_reaches_three_levels_deep(edge) -> None:
    world, http = edge
    workspace = world.workspace_named("Edge Cases")
    level = next(i for i in http.get(f"/workspaces/{workspace.id}/children").body["data"] if i["name"] == "Level 1")
    for name in ("Level 2", "Level 3"):
        level = next(i for i in http.get(f"/folders/{level['id']}/children").body["data"] if i["name"] == name)
    sheets = http.get(f"/folders/{level['id']}/children").body["data"]
    assert [(item["name"], item["resourceType"]) for item in sheets] == [("Deep Sheet", "sheet"), ("Deep Template", "template")]


def test_metadata_workspace_has_access_level_folder_does_not(edge) -> None:
    world, http = edge
    workspace = world.workspace_named("Edge Cases")
    meta = http.get(f"/workspaces/{workspace.id}/metadata").body
    assert set(meta) == {"id", "name", "permalink", "createdAt", "modifiedAt", "accessLevel"}
    folder_id = workspace.folder_ids[0]
    assert "accessLevel" not in http.get(f"/folders/{folder_id}/metadata").body


def test_legacy_load_all_nests_and_omits_empty_arrays(edge) -> None:
    world, http = edge
    workspace = world.workspace_named("Edge Cases")
    body = http.get(f"/workspaces/{workspace.id}", loadAll="true").body
    level1 = next(folder for folder in body["folders"] if folder["name"] == "Level 1")
    assert "sheets" not in level1  # empty arrays are omitted
    deep = level1["folders"][0]["folders"][0]
    assert [sheet["name"] for sheet in deep["sheets"]] == ["Deep Sheet"]
    shallow = http.get(f"/workspaces/{workspace.id}").body
    assert "folders" not in next(folder for folder in shallow["folders"] if folder["name"] == "Level 1")
    folder = http.get(f"/folders/{level1['id']}", loadAll="true").body
    assert folder["folders"][0]["name"] == "Level 2"
