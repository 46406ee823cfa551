"""The state rules: parsing, the overlap second, and the cursor bound."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from source_smartsheets.state.cursor import (
    SheetState,
    format_time,
    next_cursor,
    parse_state,
    parse_time,
    since_for,
)

SHEET = 4583173393803140
SAVED = Path(__file__).parent / "saved_states"


def t(text: str) -> datetime:
    return parse_time(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-01-05T09:00:00Z", "2026-01-05T09:00:00Z"),
        ("2026-01-05T09:00:00+00:00", "2026-01-05T09:00:00Z"),
        ("2015-01-09T11:41:55-08:00", "2015-01-09T19:41:55Z"),
        ("2026-01-05T09:00:00", "2026-01-05T09:00:00Z"),
    ],
)
def test_given_any_api_timestamp_form_when_parsed_then_utc(text: str, expected: str) -> None:
    assert format_time(parse_time(text)) == expected
    assert parse_time(text).tzinfo is not None


def test_given_cursor_when_asking_since_then_one_second_earlier_so_same_second_edits_return() -> None:
    assert since_for(t("2026-01-05T09:00:10Z"), None) == t("2026-01-05T09:00:09Z")


def test_given_no_cursor_but_start_when_asking_since_then_start_rows_are_included() -> None:
    assert since_for(None, t("2026-01-01T00:00:00Z")) == t("2025-12-31T23:59:59Z")


def test_given_neither_when_asking_since_then_full_read() -> None:
    assert since_for(None, None) is None


@pytest.mark.parametrize(
    "previous, newest, sheet_modified, expected",
    [
        (None, "2026-01-05T09:00:10Z", "2026-01-05T09:00:10Z", "2026-01-05T09:00:10Z"),
        # a row changed during the walk is newer than the sheet was at the start: the cursor stays at the start
        (None, "2026-01-05T09:05:00Z", "2026-01-05T09:00:10Z", "2026-01-05T09:00:10Z"),
        # never backwards
        ("2026-01-05T10:00:00Z", "2026-01-05T09:00:00Z", None, "2026-01-05T10:00:00Z"),
        ("2026-01-05T10:00:00Z", None, None, "2026-01-05T10:00:00Z"),
        (None, None, None, None),
    ],
)
def test_given_read_when_cursor_advanced_then_bounded(previous, newest, sheet_modified, expected) -> None:
    as_time = lambda text: t(text) if text else None  # noqa: E731
    result = next_cursor(as_time(previous), as_time(newest), as_time(sheet_modified))
    assert result == as_time(expected)


def test_given_state_when_round_tripped_then_identical() -> None:
    state = SheetState(SHEET, t("2026-01-05T09:00:00Z"), 17, "abcd", "z1:eJwDAAAAAAE=", {"5": "abc"}, {"future_key": 1})
    parsed = parse_state(state.to_message(), SHEET)
    assert parsed.reason is None
    assert parsed.state == state
    assert state.to_message()["modifiedAt"] == "2026-01-05T09:00:00Z"


@pytest.mark.parametrize(
    "raw, reason_part",
    [
        ({"modifiedAt": "yesterday"}, "not a timestamp"),
        ({"modifiedAt": 12}, "not a timestamp"),
        ({"sheet_id": 1, "modifiedAt": "2026-01-05T09:00:00Z"}, "belongs to sheet 1"),
        ({"state_version": 99}, "state_version 99"),
        ("garbage", "not an object"),
    ],
)
def test_given_unusable_state_when_parsed_then_full_reread_with_reason(raw, reason_part) -> None:
    parsed = parse_state(raw, SHEET)
    assert parsed.state is None
    assert reason_part in (parsed.reason or "")


def test_given_empty_state_when_parsed_then_full_read_without_warning() -> None:
    assert parse_state({}, SHEET).state is None
    assert parse_state({}, SHEET).reason is None


@pytest.mark.parametrize("path", sorted(SAVED.glob("*.json")), ids=lambda p: p.name)
def test_given_state_written_by_an_earlier_version_when_parsed_then_cursor_is_kept(path: Path) -> None:
    saved = json.loads(path.read_text())
    parsed = parse_state(saved["state"], saved["sheet_id"])
    assert parsed.reason is None
    assert parsed.state is not None
    assert format_time(parsed.state.cursor) == saved["expected_cursor"]


def test_saved_state_files_exist() -> None:
    assert len(list(SAVED.glob("*.json"))) >= 2


@pytest.mark.parametrize("name, naming", [("v1-full.json", None), ("v2-naming.json", 2)])
def test_given_saved_state_then_its_naming_rule_is_known(name: str, naming: int | None) -> None:
    saved = json.loads((SAVED / name).read_text())
    parsed = parse_state(saved["state"], saved["sheet_id"]).state
    assert parsed is not None and parsed.naming == naming
    assert parsed.to_message() == saved["state"]  # written back as read: no key lost, none added
