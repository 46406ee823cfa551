"""The client's retries, backoff, budget and OAuth refresh, against mocked HTTP answers."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import requests
import requests_mock

from source_smartsheets.client import CHECK, SmartsheetClient
from source_smartsheets.config import ConfigError, parse_config
from source_smartsheets.errors import Action, SmartsheetApiError

BASE = "http://smartsheet.test/2.0"
ME = f"{BASE}/users/me"


class Sleeps(list):
    """A fake clock: sleeping moves it, and each sleep is recorded."""

    now = 0.0

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def client(sleeps: Sleeps, **overrides: Any) -> SmartsheetClient:
    raw = {
        "credentials": {"auth_type": "access_token", "access_token": "tok-123"},
        "sheet_ids": ["1"],
        "api_base_url": BASE,
        "max_retry_seconds": 30,
        **overrides,
    }
    return SmartsheetClient(parse_config(raw), sleep=sleeps, clock=sleeps.clock)


def error(status: int, code: int | None) -> dict[str, Any]:
    body = {"errorCode": code, "message": "m", "refId": "r"} if code else None
    return {"status_code": status, "json": body} if body else {"status_code": status, "text": "<html>503</html>"}


OK = {"status_code": 200, "json": {"email": "me@example.com"}}


@pytest.mark.parametrize(
    "first",
    [
        error(429, 4003),
        error(500, 4000),
        error(500, 4002),
        error(500, 4004),
        error(503, 4001),
        error(503, None),  # an HTML body
        {"exc": requests.exceptions.ConnectionError},  # a dropped connection
        {"exc": requests.exceptions.ReadTimeout},
        {"status_code": 200, "text": '{"email": "trunc'},  # a body cut short
    ],
)
def test_given_retryable_answer_when_get_then_retried_and_succeeds(first: dict[str, Any]) -> None:
    sleeps = Sleeps()
    with requests_mock.Mocker() as mock:
        mock.get(ME, [first, OK])
        assert client(sleeps).get("/users/me") == {"email": "me@example.com"}
        assert mock.call_count == 2
    assert len(sleeps) == 1


def test_given_retry_after_when_rate_limited_then_waits_that_long() -> None:
    sleeps = Sleeps()
    with requests_mock.Mocker() as mock:
        mock.get(ME, [{**error(429, 4003), "headers": {"Retry-After": "7"}}, OK])
        client(sleeps).get("/users/me")
    assert sleeps == [7.0]  # once: the pacer's hold and the retry's wait are the same seven seconds


def test_given_rate_limit_then_the_pacer_holds_every_thread_back() -> None:
    sleeps = Sleeps()
    the_client = client(sleeps)
    the_client.pacer.pause(5.0)  # what a 429 on another thread does
    with requests_mock.Mocker() as mock:
        mock.get(ME, [OK])
        the_client.get("/users/me")
    assert sum(sleeps) >= 5.0


@pytest.mark.parametrize(
    "status, code, action", [(400, 1008, Action.FAIL), (401, 1002, Action.CONFIG_ERROR), (404, 1006, Action.SKIP_SHEET)]
)
def test_given_final_answer_when_get_then_raised_at_once(status: int, code: int, action: Action) -> None:
    sleeps = Sleeps()
    with requests_mock.Mocker() as mock:
        mock.get(ME, [error(status, code), OK])
        with pytest.raises(SmartsheetApiError) as caught:
            client(sleeps).get("/users/me")
        assert mock.call_count == 1
    assert caught.value.action is action and caught.value.code == code
    assert sleeps == []


def test_given_endless_server_errors_when_get_then_gives_up_within_budget() -> None:
    sleeps = Sleeps()
    with requests_mock.Mocker() as mock:
        mock.get(ME, [error(500, 4004)] * 50)
        with pytest.raises(SmartsheetApiError) as caught:
            client(sleeps, max_retry_seconds=10, retry_initial_seconds=1).get("/users/me")
    assert caught.value.status == 500
    assert sum(sleeps) <= 10
    assert 2 <= len(sleeps) < 10


def test_given_errors_then_no_secret_in_the_exception() -> None:
    sleeps = Sleeps()
    with requests_mock.Mocker() as mock:
        mock.get(ME, exc=requests.exceptions.ConnectionError("failed for Bearer tok-123 at " + ME))
        with pytest.raises(SmartsheetApiError) as caught:
            client(sleeps, max_retry_seconds=0).get("/users/me")
    assert "tok-123" not in str(caught.value) and "tok-123" not in repr(caught.value.__dict__)


class Recorder:
    """Answers OK and keeps the headers as sent (the SDK's session redacts them afterwards)."""

    def __init__(self) -> None:
        self.headers: list[dict[str, str]] = []

    def __call__(self, request: Any, context: Any) -> dict[str, Any]:
        self.headers.append(dict(request.headers))
        return OK["json"]


def test_the_request_carries_the_bearer_token_and_user_agent() -> None:
    recorder = Recorder()
    with requests_mock.Mocker() as mock:
        mock.get(ME, json=recorder)
        client(Sleeps()).get("/users/me")
    assert recorder.headers[0]["Authorization"] == "Bearer tok-123"
    assert "source-smartsheets" in recorder.headers[0]["User-Agent"]


# ----- OAuth ----------------------------------------------------------------------------------------
def oauth(expiry: datetime) -> dict[str, Any]:
    return {
        "credentials": {
            "auth_type": "oauth2.0",
            "client_id": "cid",
            "client_secret": "csecret",
            "access_token": "old-access",
            "refresh_token": "old-refresh",
            "token_expiry_date": expiry.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
    }


TOKEN_OK = {
    "status_code": 200,
    "json": {"access_token": "new-access", "refresh_token": "new-refresh", "expires_in": 604799, "token_type": "bearer"},
}


def test_given_expiring_token_when_get_then_refreshed_first_and_new_tokens_handed_to_platform(capsys) -> None:
    recorder = Recorder()
    with requests_mock.Mocker() as mock:
        token = mock.post(f"{BASE}/token", [TOKEN_OK])
        mock.get(ME, json=recorder)
        client(Sleeps(), **oauth(datetime.now(timezone.utc) + timedelta(minutes=1))).get("/users/me")
        form = dict(pair.split("=") for pair in token.last_request.text.split("&"))
        assert form["hash"] == hashlib.sha256(b"csecret|old-refresh").hexdigest()
    assert recorder.headers[-1]["Authorization"] == "Bearer new-access"
    control = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert control["type"] == "CONTROL"
    credentials = control["control"]["connectorConfig"]["config"]["credentials"]
    assert (credentials["access_token"], credentials["refresh_token"]) == ("new-access", "new-refresh")


def test_given_expired_answer_when_get_then_refreshed_once_and_retried() -> None:
    with requests_mock.Mocker() as mock:
        mock.post(f"{BASE}/token", [TOKEN_OK])
        mock.get(ME, [error(401, 1003), OK])
        assert client(Sleeps(), **oauth(datetime.now(timezone.utc) + timedelta(days=3))).get("/users/me") == OK["json"]
        assert mock.call_count == 3


def test_given_still_expired_after_refresh_then_config_error_not_a_loop() -> None:
    with requests_mock.Mocker() as mock:
        mock.post(f"{BASE}/token", [TOKEN_OK])
        mock.get(ME, [error(401, 1003), error(401, 1003), OK])
        with pytest.raises(SmartsheetApiError) as caught:
            client(Sleeps(), **oauth(datetime.now(timezone.utc) + timedelta(days=3))).get("/users/me")
    assert caught.value.code == 1003


def test_given_refused_refresh_then_clear_config_error() -> None:
    with requests_mock.Mocker() as mock:
        mock.post(f"{BASE}/token", [{"status_code": 400, "json": {"errorCode": 1116, "message": "Invalid"}}])
        with pytest.raises(ConfigError) as caught:
            client(Sleeps(), **oauth(datetime.now(timezone.utc) - timedelta(days=1))).get("/users/me")
    assert "Re-authenticate" in caught.value.message
    assert "csecret" not in caught.value.message and "old-refresh" not in caught.value.message


def test_access_token_config_never_refreshes() -> None:
    with requests_mock.Mocker() as mock:
        mock.get(ME, [error(401, 1003)])
        with pytest.raises(SmartsheetApiError):
            client(Sleeps()).get("/users/me")
        assert mock.call_count == 1


# ----- a host that has not answered yet ---------------------------------------------------------------
@pytest.mark.parametrize(
    "failure",
    [
        {"exc": requests.exceptions.SSLError},
        {"status_code": 200, "text": "<html><body>proxy login</body></html>", "headers": {"Content-Type": "text/html"}},
    ],
)
def test_given_host_never_answered_when_unreachable_then_config_error_at_once(failure: dict[str, Any]) -> None:
    sleeps = Sleeps()
    with requests_mock.Mocker() as mock:
        mock.get(ME, [failure, OK])
        with pytest.raises(SmartsheetApiError) as caught:
            client(sleeps).get("/users/me")
        assert mock.call_count == 1
    assert caught.value.answer.failure.value == "config_error" and sleeps == []


def test_given_host_answered_before_when_unreachable_then_retried() -> None:
    sleeps = Sleeps()
    with requests_mock.Mocker() as mock:
        mock.get(ME, [OK, {"exc": requests.exceptions.SSLError}, OK])
        the_client = client(sleeps)
        the_client.get("/users/me")
        assert the_client.get("/users/me") == OK["json"]
        assert mock.call_count == 3
    assert len(sleeps) == 1


def test_given_check_limits_when_the_host_keeps_failing_then_the_command_ends_within_its_deadline() -> None:
    sleeps = Sleeps()
    raw = {"credentials": {"auth_type": "access_token", "access_token": "tok-123"}, "sheet_ids": ["1"], "api_base_url": BASE}
    with requests_mock.Mocker() as mock:
        mock.get(ME, [error(503, 4001)] * 100)
        the_client = SmartsheetClient(parse_config(raw), sleep=sleeps, clock=sleeps.clock, limits=CHECK)
        for _ in range(3):  # three calls in one check: together still within the deadline
            with pytest.raises(SmartsheetApiError):
                the_client.get("/users/me")
    assert sum(sleeps) + CHECK.timeouts.read <= CHECK.deadline_seconds  # type: ignore[operator]
