"""Every config mistake gives a message a person can act on."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from freezegun import freeze_time

from source_smartsheets.config import REGION_URLS, ConfigError, parse_config
from source_smartsheets.setting_names import edits

NOW = datetime(2026, 11, 24, tzinfo=timezone.utc)
pytestmark = pytest.mark.usefixtures("frozen_now")


@pytest.fixture
def frozen_now():
    with freeze_time(NOW, ignore=["_pytest"]):  # pytest keeps its own clock (durations)
        yield


TOKEN = {"auth_type": "access_token", "access_token": "tok"}


def config(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"credentials": TOKEN, "sheet_ids": ["4583173393803140"]}
    base.update(overrides)
    return {key: value for key, value in base.items() if value is not ...}


@pytest.mark.parametrize(
    "raw, message_part",
    [
        (config(credentials=...), "credentials is missing"),
        (config(merge_streams=[{"by": "tempalte"}]), "got 'tempalte'. Did you mean 'template'?"),  # a value's typo too
        (config(region="ue"), "got 'ue'. Did you mean 'eu'?"),
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
        (config(cell_history_columns=[3]), "cell_history_columns must be a list of column titles"),
        (config(cell_history_columns=[" "]), "cell_history_columns must be a list of column titles"),
        (config(cell_history_budget=-1), "cell_history_budget must be a whole number from 0 to 100000"),
    ],
)
def test_given_config_mistake_when_parsed_then_actionable_config_error(raw: dict[str, Any], message_part: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(raw)
    assert message_part in caught.value.message
    assert caught.value.failure_type.value == "config_error"


def test_given_secret_in_config_when_error_raised_then_secret_not_in_message() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(config(credentials={"auth_type": "oauth2.0", "access_token": "s3cr3t-token"}))
    assert "s3cr3t-token" not in caught.value.message
    assert "s3cr3t" not in repr(parse_config(config()).credentials)


def test_cell_history_titles_are_trimmed_and_kept_once_in_order() -> None:
    assert parse_config(config(cell_history_columns=[" Status", "% Complete", "Status"])).cell_history_columns == (
        "Status",
        "% Complete",
    )
    assert parse_config(config(cell_history_columns="Status")).cell_history_columns == ("Status",)


def test_given_ids_as_numbers_strings_and_duplicates_when_parsed_then_unique_ints() -> None:
    parsed = parse_config(config(sheet_ids=["11", 11, 12.0, " 13 "]))
    assert parsed.sheet_ids == (11, 12, 13)


def test_given_official_single_sheet_config_when_parsed_then_one_sheet() -> None:
    raw = {"credentials": TOKEN, "spreadsheet_id": "4583173393803140", "metadata_fields": ["row_id"]}
    assert parse_config(raw).sheet_ids == (4583173393803140,)


@pytest.mark.parametrize("region", sorted(REGION_URLS))
def test_given_region_when_parsed_then_its_url(region: str) -> None:
    assert parse_config(config(region=region)).base_url == REGION_URLS[region]


def test_given_override_when_parsed_then_it_wins_over_region() -> None:
    parsed = parse_config(config(region="eu", api_base_url="http://127.0.0.1:9/2.0/"))
    assert parsed.base_url == "http://127.0.0.1:9/2.0"


def test_given_name_filters_when_asked_then_include_then_exclude() -> None:
    parsed = parse_config(config(sheet_name_include=["^Region"], sheet_name_exclude=["Archive"]))
    assert parsed.wants_sheet_name("Region 01")
    assert not parsed.wants_sheet_name("Region 01 Archive")
    assert not parsed.wants_sheet_name("Budget")


def test_given_defaults_when_parsed_then_sensible() -> None:
    parsed = parse_config(config())
    assert (parsed.region, parsed.page_size, parsed.requests_per_minute, parsed.capture_deletes) == ("us", 1000, 290, False)
    assert parsed.start_datetime is None


def test_given_official_report_config_when_parsed_then_one_report() -> None:
    raw = {"credentials": TOKEN, "spreadsheet_id": "4583173393803140", "is_report": True}
    parsed = parse_config(raw)
    assert (parsed.report_ids, parsed.sheet_ids) == ((4583173393803140,), ())


def test_given_only_reports_when_parsed_then_enough_to_sync() -> None:
    assert parse_config(config(sheet_ids=..., report_ids=["77"])).report_ids == (77,)


def test_given_several_mistakes_when_parsed_then_one_message_names_them_all() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config({"region": "mars", "page_size": "many", "sheet_ids": ["x1"]})
    message = caught.value.message
    for part in ("credentials is missing", "region must be one of", "page_size must be", "'x1' is not a Smartsheet ID"):
        assert part in message, message


@pytest.mark.parametrize("raw", [{}, {"region": "mars"}, {"sheet_ids": [], "workspace_ids": None}])
def test_given_a_config_with_nothing_selected_and_other_mistakes_then_both_are_named(raw: dict) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(raw)
    assert "credentials is missing" in caught.value.message and "Nothing to sync" in caught.value.message


@pytest.mark.parametrize("region", ["EU", " eu ", "Eu "])
def test_given_enum_with_case_and_spaces_when_parsed_then_normalized(region: str) -> None:
    assert parse_config(config(region=region)).region == "eu"


def test_given_text_values_with_spaces_when_parsed_then_trimmed() -> None:
    parsed = parse_config(config(api_base_url=" http://127.0.0.1:9/2.0 ", page_size=" 50 ", workspace_ids=" 7 "))
    assert (parsed.base_url, parsed.page_size, parsed.workspace_ids) == ("http://127.0.0.1:9/2.0", 50, (7,))


def test_given_base_url_without_api_version_when_parsed_then_config_error() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(config(api_base_url="https://proxy.example.com/smartsheet"))
    assert "must end in /2.0" in caught.value.message


def test_given_oauth_without_expiry_when_parsed_then_accepted_and_refreshed_when_smartsheet_says_expired() -> None:
    oauth = {"auth_type": "oauth2.0", "access_token": "a", "client_id": "c", "client_secret": "s", "refresh_token": "r"}
    assert parse_config(config(credentials=oauth)).credentials.token_expiry_date is None  # type: ignore[union-attr]


def test_given_oauth_without_a_refresh_token_when_parsed_then_asks_to_reauthenticate() -> None:
    oauth = {"auth_type": "oauth2.0", "access_token": "a", "client_id": "c", "client_secret": "s"}
    with pytest.raises(ConfigError) as caught:
        parse_config(config(credentials=oauth))
    assert "refresh_token; re-authenticate" in caught.value.message


def test_given_wrong_json_types_when_parsed_then_plain_sentences_not_pydantic_text() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(config(capture_deletes="maybe", sheet_name_include=[{"a": 1}]))
    message = caught.value.message
    assert "capture_deletes must be true or false." in message
    assert "pydantic" not in message.lower() and "input_value" not in message.lower()


def test_given_date_only_start_when_parsed_then_midnight_utc() -> None:
    assert parse_config(config(start_datetime="2024-01-01")).start_datetime == datetime(2024, 1, 1, tzinfo=timezone.utc)


# ----- keys that are not settings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "key", "closest", "outcome"),
    [
        ({"sheet_name_exlude": ["(?i)project"]}, "sheet_name_exlude", "sheet_name_exclude", "error"),
        ({"workspace_id": ["6522194172720421"]}, "workspace_id", "workspace_ids", "error"),  # the singular
        ({"sheet_id": "1"}, "sheet_id", "sheet_ids", "error"),
        ({"sheetids": ["1"]}, "sheetids", "sheet_ids", "error"),
        ({"Region": "eu"}, "Region", "region", "error"),  # case only
        ({"captur_deletes": True}, "captur_deletes", "capture_deletes", "error"),
        ({"start_date_time": "2024-01-01"}, "start_date_time", "start_datetime", "error"),
        ({"metadata_field": ["x"]}, "metadata_field", "metadata_fields", "error"),
        ({"cell_history_column": ["Status"]}, "cell_history_column", "cell_history_columns", "error"),
        (
            {"credentials": {"auth_type": "access_token", "acess_token": "tok"}},
            "credentials.acess_token",
            "credentials.access_token",
            "error",
        ),
        ({"credentials": {**TOKEN, "auth_tpye": "access_token"}}, "credentials.auth_tpye", "credentials.auth_type", "error"),
        ({"merge_streams": [{"by": "template", "vaule": "1"}]}, "merge_streams.0.vaule", "merge_streams.0.value", "error"),
        ({"notify_email": "a@b.c"}, "notify_email", None, "warning"),  # resembles no setting: said, ignored
        ({"credentials": {**TOKEN, "scope": "READ_SHEETS"}}, "credentials.scope", None, "warning"),
        ({"id": 3}, "id", None, "warning"),  # a short key is a typo only one edit away: not `by`, not `ids`
    ],
)
def test_given_a_key_that_is_no_setting_when_parsed_then_a_typo_is_an_error_naming_both_and_any_other_a_warning(
    raw: dict[str, Any], key: str, closest: str | None, outcome: str
) -> None:
    config = {"credentials": TOKEN, "workspace_ids": ["6522194172720421"], **raw}
    if outcome == "error":
        with pytest.raises(ConfigError) as raised:
            parse_config(config)
        assert f"Unknown setting '{key}': did you mean '{closest}'?" in raised.value.message
        assert raised.value.message.count(f"'{key}'") == 1  # said once, not again in pydantic's words
    else:
        assert parse_config(config).ignored_settings == (
            f"Unknown setting '{key}': this connector does not use it, so it is ignored.",
        )


@pytest.mark.parametrize(
    "raw",
    [
        {"spreadsheet_id": "1", "start_datetime": "2024-01-01T00:00:00Z", "metadata_fields": ["row_id"], "is_report": False},
        {"access_token": "tok", "spreadsheet_id": 1},  # the shape of configs before `credentials`
    ],
)
def test_given_the_official_connectors_keys_when_parsed_then_none_is_unknown(raw: dict[str, Any]) -> None:
    config = {"credentials": {**TOKEN, "client_id": "x"}} | raw if "access_token" not in raw else raw
    assert parse_config(config).ignored_settings == ()


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("", "", 0), ("abc", "abc", 0), ("abc", "acb", 1), ("exlude", "exclude", 1), ("region", "regoin", 1), ("id", "by", 2)],
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edits(a, b) == distance
