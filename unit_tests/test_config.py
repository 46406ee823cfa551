"""Every config mistake gives a message a person can act on."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from source_smartsheets.config import REGION_URLS, ConfigError, parse_config

NOW = datetime(2026, 11, 24, tzinfo=timezone.utc)
TOKEN = {"auth_type": "access_token", "access_token": "tok"}


def config(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"credentials": TOKEN, "sheet_ids": ["4583173393803140"]}
    base.update(overrides)
    return {key: value for key, value in base.items() if value is not ...}


@pytest.mark.parametrize(
    "raw, message_part",
    [
        (config(credentials=...), "credentials is missing"),
        (config(credentials={"auth_type": "access_token", "access_token": ""}), "access token is missing or empty"),
        (config(credentials={"auth_type": "access_token", "access_token": "   "}), "access token is missing or empty"),
        (config(credentials={"auth_type": "magic", "access_token": "x"}), "auth_type must be"),
        (config(credentials={"auth_type": "oauth2.0", "access_token": "x"}), "client_id, client_secret, refresh_token"),
        (config(sheet_ids=["abc"]), "'abc' is not a Smartsheet ID"),
        (config(sheet_ids=[-5]), "-5 is not a Smartsheet ID"),
        (config(sheet_ids=[1.5]), "1.5 is not a Smartsheet ID"),
        (config(sheet_ids=[True]), "True is not a Smartsheet ID"),
        (config(sheet_ids=[2**70]), "fit in 64 bits"),
        (config(sheet_ids=[], workspace_ids=[]), "Nothing to sync"),
        (config(sheet_ids=...), "Nothing to sync"),
        (config(workspace_ids=["1x"]), "workspace_ids: '1x'"),
        (config(start_datetime="last tuesday"), "not a date-time"),
        (config(start_datetime="2027-01-01T00:00:00Z"), "in the future"),
        (config(api_base_url="ftp://example.com/2.0"), "must start with http"),
        (config(api_base_url="localhost:8080"), "must start with http"),
        (config(region="mars"), "region must be one of"),
        (config(sheet_name_include=["("]), "not a valid regular expression"),
        (config(page_size=0), "page_size must be"),
    ],
)
def test_given_config_mistake_when_parsed_then_actionable_config_error(raw: dict[str, Any], message_part: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(raw, now=NOW)
    assert message_part in caught.value.message
    assert caught.value.failure_type.value == "config_error"


def test_given_secret_in_config_when_error_raised_then_secret_not_in_message() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(config(credentials={"auth_type": "oauth2.0", "access_token": "s3cr3t-token"}), now=NOW)
    assert "s3cr3t-token" not in caught.value.message
    assert "s3cr3t" not in repr(parse_config(config(), now=NOW).credentials)


def test_given_ids_as_numbers_strings_and_duplicates_when_parsed_then_unique_ints() -> None:
    parsed = parse_config(config(sheet_ids=["11", 11, 12.0, " 13 "]), now=NOW)
    assert parsed.sheet_ids == (11, 12, 13)


def test_given_official_single_sheet_config_when_parsed_then_one_sheet() -> None:
    raw = {"credentials": TOKEN, "spreadsheet_id": "4583173393803140", "metadata_fields": ["row_id"]}
    assert parse_config(raw, now=NOW).sheet_ids == (4583173393803140,)


@pytest.mark.parametrize("region", sorted(REGION_URLS))
def test_given_region_when_parsed_then_its_url(region: str) -> None:
    assert parse_config(config(region=region), now=NOW).base_url == REGION_URLS[region]


def test_given_override_when_parsed_then_it_wins_over_region() -> None:
    parsed = parse_config(config(region="eu", api_base_url="http://127.0.0.1:9/2.0/"), now=NOW)
    assert parsed.base_url == "http://127.0.0.1:9/2.0"


def test_given_name_filters_when_asked_then_include_then_exclude() -> None:
    parsed = parse_config(config(sheet_name_include=["^Region"], sheet_name_exclude=["Archive"]), now=NOW)
    assert parsed.wants_sheet_name("Region 01")
    assert not parsed.wants_sheet_name("Region 01 Archive")
    assert not parsed.wants_sheet_name("Budget")


def test_given_defaults_when_parsed_then_sensible() -> None:
    parsed = parse_config(config(), now=NOW)
    assert (parsed.region, parsed.page_size, parsed.requests_per_minute, parsed.capture_deletes) == ("us", 1000, 290, False)
    assert parsed.start_datetime is None


def test_given_official_report_config_when_parsed_then_one_report() -> None:
    raw = {"credentials": TOKEN, "spreadsheet_id": "4583173393803140", "is_report": True}
    parsed = parse_config(raw, now=NOW)
    assert (parsed.report_ids, parsed.sheet_ids) == ((4583173393803140,), ())


def test_given_only_reports_when_parsed_then_enough_to_sync() -> None:
    assert parse_config(config(sheet_ids=..., report_ids=["77"]), now=NOW).report_ids == (77,)
