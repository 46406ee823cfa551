"""The official SDK can list, walk and read every world of the emulator without an error."""

from __future__ import annotations

import pytest
import smartsheet

from smartsheet_emulator import Emulator, build


def _client(emulator: Emulator) -> smartsheet.Smartsheet:
    client = smartsheet.Smartsheet(emulator.world.token, api_base=emulator.base_url, max_retry_time=1)
    client.errors_as_exceptions(True)
    return client


def _walk(client: smartsheet.Smartsheet, kind: str, container_id: int) -> list[int]:
    sheets: list[int] = []
    getter = client.Workspaces.get_workspace_children if kind == "workspace" else client.Folders.get_folder_children
    result = getter(container_id)
    for item in result.data:
        # The SDK turns each child into a typed model (Sheet, Folder, Report) and drops resourceType.
        kind_name = type(item).__name__
        if kind_name == "Sheet":
            sheets.append(int(item.id))
        elif kind_name == "Folder":
            sheets += _walk(client, "folder", int(item.id))
    return sheets


@pytest.mark.parametrize("world_name", ["demo", "edge", "many", "large"])
def test_sdk_lists_walks_and_reads_every_world(world_name: str) -> None:
    world = build(world_name)
    with Emulator(world, rate_limit=None) as emulator:
        client = _client(emulator)
        assert client.Users.get_current_user().email == "owner@example.com"
        listed = client.Sheets.list_sheets(include_all=True)
        assert listed.total_count == len(world.sheets)
        walked: list[int] = []
        for workspace in client.Workspaces.list_workspaces().data:
            walked += _walk(client, "workspace", workspace.id)
        assert sorted(walked) == sorted(world.sheets)
        for sheet_id in walked:
            page_size = 5000 if world_name == "large" else None
            # The SDK's models are slow: the large world is read through its first 5,000 rows.
            page = 1 if page_size else None
            sheet = client.Sheets.get_sheet(sheet_id, level=2, include=["objectValue"], page_size=page_size, page=page)
            assert sheet.total_row_count == len(world.sheets[sheet_id].rows)
            assert len(sheet.columns) == len(world.sheets[sheet_id].columns)
        for report in world.reports.values():
            assert client.Reports.get_report(report.id, level=3, include=["objectValue"]).total_row_count > 0
