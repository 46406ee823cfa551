"""The client's two paging styles (#30): token-paged lists and IndexResult lists, each call saying which it is; a list
key absent is an empty list, an IndexResult that carries a `lastKey` is followed by it (with one warning naming the
call), any other shape is an error naming the call. And cell history's own limit of 30 calls a minute."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import requests_mock

from source_smartsheets.client import HISTORY_PER_MINUTE
from source_smartsheets.errors import Action, SmartsheetApiError, explain
from unit_tests.test_client import BASE, Sleeps, client

SIGHTS = f"{BASE}/sights"
USERS = f"{BASE}/users"


def _json(body: Any) -> dict[str, Any]:
    return {"status_code": 200, "json": body}


@pytest.mark.parametrize(
    ("answers", "expected", "asked_keys"),
    [
        pytest.param([{"data": [{"id": 1}], "lastKey": "k1"}, {"data": [{"id": 2}]}], [1, 2], [None, "k1"], id="two pages"),
        pytest.param([{"data": [{"id": 1}]}], [1], [None], id="no lastKey: the last page"),
        pytest.param([{"lastKey": "k1"}, {"data": [{"id": 3}]}], [3], [None, "k1"], id="no list on a page: empty"),
        pytest.param([{}], [], [None], id="nothing at all: empty"),
    ],
)
def test_a_token_paged_list_is_read_to_its_end(answers, expected, asked_keys) -> None:
    with requests_mock.Mocker() as mock:
        mock.get(SIGHTS, [_json(answer) for answer in answers])
        assert [item["id"] for item in client(Sleeps()).dashboards()] == expected
        assert [request.qs.get("lastkey", [None])[0] for request in mock.request_history] == [
            key.lower() if key else None for key in asked_keys
        ]
        assert all("includeall" not in request.qs and "page" not in request.qs for request in mock.request_history)


def test_shares_are_read_from_items_and_the_sheets_own_asked_until_an_answer_shows_them(caplog) -> None:
    shares = f"{BASE}/shares"
    workspace_only = {"items": [{"id": "G", "groupId": "22", "scope": "WORKSPACE"}]}
    both = {"items": [{"id": "U", "userId": "11", "scope": "ITEM"}, {"id": "G", "groupId": "22", "scope": "WORKSPACE"}]}
    own = {"items": [{"id": "U", "userId": "11", "scope": "ITEM"}]}
    with requests_mock.Mocker() as mock:
        mock.get(shares, [_json(workspace_only), _json(own), _json(both), _json(both)])
        api = client(Sleeps())
        first = api.sheet_shares(1)  # WORKSPACE held no own share: ITEM asked too
        second = api.sheet_shares(2)  # WORKSPACE held an own share: known for the run
        third = api.sheet_shares(3)
        scopes = [request.qs["sharinginclude"][0] for request in mock.request_history]
    assert scopes == ["workspace", "item", "workspace", "workspace"]
    assert sorted(share["id"] for share in first) == ["G", "U"]
    assert sorted(share["id"] for share in second) == sorted(share["id"] for share in third) == ["G", "U"]
    assert all(request.qs["assettype"] == ["sheet"] and request.qs["maxitems"] == ["100"] for request in mock.request_history)


def test_an_index_result_is_one_include_all_request_then_pages_if_the_answer_comes_in_pages() -> None:
    with requests_mock.Mocker() as mock:
        mock.get(USERS, [_json({"data": [{"id": 1}], "totalPages": 2, "pageSize": 1}), _json({"data": [{"id": 2}]})])
        assert [user["id"] for user in client(Sleeps()).users()] == [1, 2]
        assert mock.request_history[0].qs["includeall"] == ["true"]
        assert mock.request_history[1].qs["page"] == ["2"]


def test_an_index_result_that_carries_a_last_key_is_followed_with_one_warning_naming_the_call(caplog) -> None:
    with requests_mock.Mocker() as mock:
        mock.get(
            USERS,
            [
                _json({"data": [{"id": 1}], "lastKey": "k1"}),
                _json({"data": [{"id": 2}], "lastKey": "k2"}),
                _json({"data": [{"id": 3}]}),
            ],
        )
        with caplog.at_level(logging.WARNING, logger="airbyte"):
            assert [user["id"] for user in client(Sleeps()).users()] == [1, 2, 3]
    assert [request.qs.get("lastkey") for request in mock.request_history] == [None, ["k1"], ["k2"]]
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1 and warnings[0].startswith("/users answered a token-paged list")


@pytest.mark.parametrize(
    "body",
    [
        pytest.param([{"id": 1}], id="a bare list"),
        pytest.param({"data": {"id": 1}}, id="data is an object"),
        pytest.param({"data": [1, 2]}, id="data holds no objects"),
        pytest.param("text", id="a string"),
    ],
)
def test_any_other_shape_is_an_error_that_names_the_call(body) -> None:
    with requests_mock.Mocker() as mock:
        mock.get(USERS, [_json(body)])
        with pytest.raises(SmartsheetApiError) as raised:
            client(Sleeps()).users()
    assert raised.value.action is Action.FAIL
    message = explain(raised.value, raised.value.path)
    assert message.startswith("Smartsheet answered /users in a shape this connector does not know")


def test_cell_history_keeps_to_30_calls_a_minute_whatever_requests_per_minute_says() -> None:
    sleeps = Sleeps()
    api = client(sleeps, requests_per_minute=100000)
    sent: list[float] = []
    history = f"{BASE}/sheets/1/rows/2/columns/3/history"

    def answer(request, context):  # type: ignore[no-untyped-def]
        sent.append(sleeps.now)
        return {"data": [], "totalPages": 1}

    with requests_mock.Mocker() as mock:
        mock.get(history, json=answer)
        for _ in range(100):
            api.cell_history(1, 2, 3)
    assert len(sent) == 100
    assert max(sum(1 for t in sent if start <= t < start + 60) for start in sent) == HISTORY_PER_MINUTE == 30


def test_the_new_calls_bodies_read_as_the_sdk_models_say(sample) -> None:
    """The constructed bodies of `GET /shares`, `GET /sights` and children with templates (unit_tests/resources/
    api-samples/README.md) through the readers and the records."""
    from source_smartsheets.schema_mapping.account import share_records

    shares_page = sample("constructed-list-asset-shares.json")
    with requests_mock.Mocker() as mock:
        mock.get(f"{BASE}/shares", [_json(shares_page), _json({"items": []})])
        listed = client(Sleeps()).sheet_shares(1)
    records, skipped = share_records(1, "plan", listed, "2026-06-11T10:30:00Z")
    assert skipped == [] and {r["principal_id"] for r in records} == {4583173393803140, 2331373580117892}
    with requests_mock.Mocker() as mock:
        mock.get(SIGHTS, [_json(sample("constructed-list-sights-token-page.json")), _json({"data": []})])
        assert [d["name"] for d in client(Sleeps()).dashboards()] == ["Operations Overview"]
    children = f"{BASE}/workspaces/1/children"
    with requests_mock.Mocker() as mock:
        mock.get(
            children,
            [_json(sample("workspace-children-lastkey.json")), _json(sample("constructed-workspace-children-templates.json"))],
        )
        kinds = [child["resourceType"] for child in client(Sleeps()).children("workspace", 1)]
        assert mock.request_history[0].qs["childrenresourcetypes"] == ["sheets,templates,reports,folders"]
    assert kinds == ["sheet", "sheet", "template"]
