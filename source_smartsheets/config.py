"""The connector's configuration, checked once: every mistake becomes a message a person can act on."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Mapping

from airbyte_cdk.models import FailureType
from airbyte_cdk.utils import AirbyteTracedException

from .state.cursor import parse_time

REGION_URLS = {
    "us": "https://api.smartsheet.com/2.0",
    "eu": "https://api.smartsheet.eu/2.0",
    "gov": "https://api.smartsheetgov.com/2.0",
    "au": "https://api.smartsheet.au/2.0",
}
MAX_ID = 2**63 - 1


class ConfigError(AirbyteTracedException):
    """A configuration the connector cannot run with."""

    def __init__(self, message: str) -> None:
        super().__init__(message=message, internal_message=message, failure_type=FailureType.config_error)


@dataclass(frozen=True)
class Credentials:
    auth_type: str
    access_token: str
    client_id: str | None = None
    client_secret: str | None = None
    refresh_token: str | None = None
    token_expiry: datetime | None = None

    def secrets(self) -> list[str]:
        return [s for s in (self.access_token, self.client_secret, self.refresh_token) if s]

    def __repr__(self) -> str:  # never print secrets, even by accident
        return f"Credentials(auth_type={self.auth_type!r})"


@dataclass(frozen=True)
class SmartsheetConfig:
    credentials: Credentials
    sheet_ids: tuple[int, ...]
    workspace_ids: tuple[int, ...]
    base_url: str
    report_ids: tuple[int, ...] = ()
    region: str = "us"
    start_datetime: datetime | None = None
    include_patterns: tuple[re.Pattern[str], ...] = ()
    exclude_patterns: tuple[re.Pattern[str], ...] = ()
    capture_deletes: bool = False
    page_size: int = 1000
    requests_per_minute: int = 290
    max_retry_seconds: float = 600.0
    prefetch_sheets: int = 3
    retry_initial_seconds: float = 1.0
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)  # as given: for an OAuth config update

    def wants_sheet_name(self, name: str) -> bool:
        """Name filters apply to workspace sheets; sheets listed by ID are always synced."""
        if self.include_patterns and not any(p.search(name) for p in self.include_patterns):
            return False
        return not any(p.search(name) for p in self.exclude_patterns)


def parse_config(raw: Mapping[str, Any], now: datetime | None = None) -> SmartsheetConfig:
    """Validate a user's config. Raises ConfigError with what to fix."""
    if not isinstance(raw, Mapping):
        raise ConfigError("The configuration must be a JSON object.")
    credentials = _credentials(raw.get("credentials"), raw)
    sheet_ids = _ids(raw.get("sheet_ids"), "sheet_ids")
    report_ids = _ids(raw.get("report_ids"), "report_ids")
    legacy = raw.get("spreadsheet_id")
    if legacy not in (None, ""):
        if raw.get("is_report"):
            report_ids = tuple(dict.fromkeys(report_ids + _ids([legacy], "spreadsheet_id")))
        else:
            sheet_ids = tuple(dict.fromkeys(sheet_ids + _ids([legacy], "spreadsheet_id")))
    workspace_ids = _ids(raw.get("workspace_ids"), "workspace_ids")
    if not sheet_ids and not workspace_ids and not report_ids:
        raise ConfigError(
            "Nothing to sync: set sheet_ids (a list of sheet IDs) and/or workspace_ids (a list of workspace IDs)"
            " and/or report_ids."
        )
    region = str(raw.get("region") or "us").lower()
    if region not in REGION_URLS:
        raise ConfigError(f"region must be one of {', '.join(REGION_URLS)}; got {region!r}.")
    base_url = _base_url(raw.get("api_base_url"), region)
    start = _start(raw.get("start_datetime"), now or datetime.now(timezone.utc))
    return SmartsheetConfig(
        credentials=credentials,
        sheet_ids=sheet_ids,
        workspace_ids=workspace_ids,
        report_ids=report_ids,
        base_url=base_url,
        region=region,
        start_datetime=start,
        include_patterns=_patterns(raw.get("sheet_name_include"), "sheet_name_include"),
        exclude_patterns=_patterns(raw.get("sheet_name_exclude"), "sheet_name_exclude"),
        capture_deletes=bool(raw.get("capture_deletes", False)),
        page_size=_bounded_int(raw.get("page_size", 1000), "page_size", 1, 10000),
        requests_per_minute=_bounded_int(raw.get("requests_per_minute", 290), "requests_per_minute", 1, 100000),
        max_retry_seconds=_bounded_float(raw.get("max_retry_seconds", 600), "max_retry_seconds"),
        prefetch_sheets=_bounded_int(raw.get("prefetch_sheets", 3), "prefetch_sheets", 0, 8),
        retry_initial_seconds=_bounded_float(raw.get("retry_initial_seconds", 1.0), "retry_initial_seconds"),
        raw=dict(raw),
    )


def _credentials(raw: Any, config: Mapping[str, Any]) -> Credentials:
    if raw is None and config.get("access_token"):
        raw = {"auth_type": "access_token", "access_token": config["access_token"]}
    if not isinstance(raw, Mapping):
        raise ConfigError("credentials is missing: give an API access token (credentials.access_token).")
    token = raw.get("access_token")
    if not isinstance(token, str) or not token.strip():
        raise ConfigError(
            "The access token is missing or empty. Create one in Smartsheet under "
            "Account > Apps & Integrations > API Access and paste it into credentials.access_token."
        )
    auth_type = str(raw.get("auth_type") or "access_token")
    if auth_type == "access_token":
        return Credentials("access_token", token.strip())
    if auth_type != "oauth2.0":
        raise ConfigError(f"credentials.auth_type must be 'access_token' or 'oauth2.0'; got {auth_type!r}.")
    missing = [key for key in ("client_id", "client_secret", "refresh_token") if not raw.get(key)]
    if missing:
        raise ConfigError(f"OAuth2.0 credentials need {', '.join(missing)}; re-authenticate the source.")
    expiry = None
    if raw.get("token_expiry_date"):
        try:
            expiry = parse_time(str(raw["token_expiry_date"]))
        except ValueError:
            raise ConfigError("credentials.token_expiry_date is not a date-time such as 2026-01-01T00:00:00Z.") from None
    return Credentials(
        "oauth2.0",
        token.strip(),
        str(raw["client_id"]),
        str(raw["client_secret"]),
        str(raw["refresh_token"]),
        expiry,
    )


def parse_id(value: Any, name: str) -> int:
    """A Smartsheet ID: a positive whole number, given as a number or as digits."""
    if isinstance(value, bool):
        raise ConfigError(f"{name}: {value!r} is not a Smartsheet ID (IDs are whole numbers, e.g. 4583173393803140).")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        raise ConfigError(f"{name}: {value!r} is not a Smartsheet ID (IDs are whole numbers, e.g. 4583173393803140).")
    if number <= 0 or number > MAX_ID:
        raise ConfigError(f"{name}: {value!r} is not a Smartsheet ID (IDs are positive and fit in 64 bits).")
    return number


def _ids(raw: Any, name: str) -> tuple[int, ...]:
    if raw in (None, ""):
        return ()
    if isinstance(raw, (str, int)):
        raw = [part for part in str(raw).split(",") if part.strip()]
    if not isinstance(raw, (list, tuple)):
        raise ConfigError(f"{name} must be a list of IDs.")
    return tuple(dict.fromkeys(parse_id(item, name) for item in raw))


def _base_url(raw: Any, region: str) -> str:
    if raw in (None, ""):
        return REGION_URLS[region]
    text = str(raw).strip().rstrip("/")
    if not re.match(r"^https?://[^\s/]+", text):
        raise ConfigError(f"api_base_url must start with http:// or https:// (got {text!r}).")
    return text


def _start(raw: Any, now: datetime) -> datetime | None:
    if raw in (None, ""):
        return None
    try:
        start = parse_time(str(raw))
    except ValueError:
        raise ConfigError(f"start_datetime {raw!r} is not a date-time; use ISO 8601 such as 2024-01-01T00:00:00Z.") from None
    if start > now:
        raise ConfigError(f"start_datetime {raw!r} is in the future; no row could be read. Use a past date.")
    return start


def _patterns(raw: Any, name: str) -> tuple[re.Pattern[str], ...]:
    if raw in (None, ""):
        return ()
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, (list, tuple)):
        raise ConfigError(f"{name} must be a list of regular expressions.")
    compiled = []
    for item in items:
        try:
            compiled.append(re.compile(str(item)))
        except re.error as error:
            raise ConfigError(f"{name}: {item!r} is not a valid regular expression ({error}).") from None
    return tuple(compiled)


def _bounded_int(raw: Any, name: str, low: int, high: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise ConfigError(f"{name} must be a whole number from {low} to {high}.")
    try:
        number = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number from {low} to {high}.") from None
    if not low <= number <= high:
        raise ConfigError(f"{name} must be a whole number from {low} to {high}.")
    return number


def _bounded_float(raw: Any, name: str) -> float:
    try:
        number = float(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be a number of seconds.") from None
    if number < 0:
        raise ConfigError(f"{name} must not be negative.")
    return number
