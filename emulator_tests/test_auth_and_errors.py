"""Bearer-token auth and the error body `{errorCode, message, refId}` with the right HTTP status."""

from __future__ import annotations


def test_missing_token_is_401_1001(edge) -> None:
    _, http = edge
    answer = http.get("/users/me", token=None)
    assert (answer.status, answer.body["errorCode"]) == (401, 1001)
    assert set(answer.body) == {"errorCode", "message", "refId"}
    assert answer.headers["Content-Type"] == "application/json;charset=UTF-8"


def test_invalid_token_is_401_1002(edge) -> None:
    _, http = edge
    answer = http.get("/users/me", token="not-a-token")
    assert (answer.status, answer.body["errorCode"]) == (401, 1002)


def test_expired_token_is_401_1003(edge) -> None:
    world, http = edge
    world.tokens[world.token].expired = True
    assert http.get("/users/me").body["errorCode"] == 1003


def test_unknown_sheet_is_404_1006(edge) -> None:
    _, http = edge
    answer = http.get("/sheets/123456789")
    assert (answer.status, answer.body["errorCode"]) == (404, 1006)


def test_non_numeric_id_is_404_1006(edge) -> None:
    _, http = edge
    assert http.get("/sheets/abc").status == 404


def test_revoked_sheet_is_403_1004_and_leaves_the_listing(edge) -> None:
    world, http = edge
    sheet = world.sheet_named("Deep Sheet")
    world.revoke(sheet)
    answer = http.get(f"/sheets/{sheet.id}")
    assert (answer.status, answer.body["errorCode"]) == (403, 1004)
    names = [item["name"] for item in http.get("/sheets", includeAll="true").body["data"]]
    assert "Deep Sheet" not in names


def test_deleted_sheet_is_404_and_restored_sheet_comes_back(edge) -> None:
    world, http = edge
    sheet = world.sheet_named("Deep Sheet")
    world.delete_sheet(sheet)
    assert http.get(f"/sheets/{sheet.id}").status == 404
    world.restore_sheet(sheet)
    assert http.get(f"/sheets/{sheet.id}").status == 200


def test_bad_query_value_is_400(edge) -> None:
    world, http = edge
    sheet = world.sheet_named("Deep Sheet")
    answer = http.get(f"/sheets/{sheet.id}", rowsModifiedSince="yesterday")
    assert answer.status == 400
    assert answer.body["errorCode"] == 1018


def test_users_me_describes_the_token_user(edge) -> None:
    _, http = edge
    body = http.get("/users/me").body
    assert {"id", "email", "firstName", "lastName", "account"} <= set(body)
    assert body["email"] == "owner@example.com"
