"""The connector's configuration: one pydantic model that is the spec, the validation and the docs.

`spec` is generated from this model (`spec.py`), the README's configuration table too, and every
mistake a user can make becomes a sentence that says what to fix (never pydantic's own text).
Input is cleaned the same way everywhere: text is trimmed, enum values are case-folded.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cached_property
from typing import Annotated, Any, Iterable, Literal, Mapping

from airbyte_cdk.models import FailureType
from airbyte_cdk.utils import AirbyteTracedException
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from .setting_names import UnknownKey, closest, unknown_keys
from .timestamps import now, parse_time

REGION_URLS = {
    "us": "https://api.smartsheet.com/2.0",
    "eu": "https://api.smartsheet.eu/2.0",
    "gov": "https://api.smartsheetgov.com/2.0",
    "au": "https://api.smartsheet.au/2.0",
}
MAX_ID = 2**63 - 1
BASE_URL_PATTERN = r"^https?://[^\s/]+(/[^\s]*)?/2\.0/?$"
ID_EXAMPLE = "4583173393803140"


class ConfigError(AirbyteTracedException):
    """A configuration the connector cannot run with."""

    def __init__(self, message: str) -> None:
        super().__init__(message=message, internal_message=message, failure_type=FailureType.config_error)


class Problem(ValueError):
    """One thing wrong with a config, in words a person can act on."""


def _ui(order: int, **extra: Any) -> dict[str, Any]:
    """The Airbyte UI's own schema keys (`order`, `airbyte_secret`, `airbyte_hidden`, ...)."""
    return {"order": order, **extra}


SECRET = {"airbyte_secret": True}
HIDDEN = {"airbyte_hidden": True}
Id = Annotated[int, WithJsonSchema({"type": ["string", "integer"]})]


# ----- credentials ---------------------------------------------------------------------------------
class AccessTokenCredentials(BaseModel):
    """A personal API access token."""

    model_config = ConfigDict(title="API Access Token", extra="allow")

    auth_type: Literal["access_token"] = Field("access_token", json_schema_extra=_ui(0))
    access_token: str = Field(
        title="Access Token",
        description="From Smartsheet: Account > Apps & Integrations > API Access.",
        repr=False,
        json_schema_extra=_ui(1, **SECRET),
    )


class OAuthCredentials(BaseModel):
    """OAuth2.0 tokens, filled by Airbyte's "Authenticate your Smartsheet account" flow."""

    model_config = ConfigDict(title="OAuth2.0", extra="allow")

    auth_type: Literal["oauth2.0"] = Field("oauth2.0", json_schema_extra=_ui(0))
    client_id: str = Field(title="Client ID", repr=False, json_schema_extra=_ui(1, **SECRET))
    client_secret: str = Field(title="Client Secret", repr=False, json_schema_extra=_ui(2, **SECRET))
    access_token: str = Field(title="Access Token", repr=False, json_schema_extra=_ui(3, **SECRET))
    refresh_token: str = Field(title="Refresh Token", repr=False, json_schema_extra=_ui(4, **SECRET))
    token_expiry_date: datetime | None = Field(
        None,
        title="Token Expiry Date",
        description="When the access token expires; it is refreshed five minutes before. Without it (Airbyte's OAuth "
        "flow does not give it), the token is refreshed when Smartsheet says it has expired.",
        json_schema_extra=_ui(5, format="date-time"),
    )


Credentials = Annotated[AccessTokenCredentials | OAuthCredentials, Field(discriminator="auth_type")]
AUTH_TYPES = ("access_token", "oauth2.0")
OAUTH_KEYS = ("client_id", "client_secret", "refresh_token")


# ----- merged streams --------------------------------------------------------------------------------
MERGE_BY = ("template", "folder", "workspace", "pattern")


class MergeRule(BaseModel):
    """Which selected sheets become one stream."""

    model_config = ConfigDict(title="Merge rule", extra="forbid")

    by: Literal["template", "folder", "workspace", "pattern"] = Field(
        title="Merge sheets by",
        description="template: sheets made from the same template or source sheet; folder: sheets under a folder "
        "(through its subfolders); workspace: sheets of a workspace; pattern: sheets whose name matches.",
        json_schema_extra=_ui(0),
    )
    value: str | None = Field(
        None,
        title="Value",
        description="folder and workspace: its ID. pattern: a regular expression on sheet names. template: a template "
        "(or source sheet) ID, or nothing: then each template the selected sheets were made from is one stream.",
        json_schema_extra=_ui(1, examples=["4583173393803140", "^Project "]),
    )
    name: str | None = Field(
        None,
        title="Stream name",
        description="The merged stream's name (the naming rule applies). Default: the template's, folder's or "
        "workspace's name; for a pattern, the pattern's words.",
        json_schema_extra=_ui(2, examples=["project_tasks"]),
    )

    @model_validator(mode="after")
    def _value_fits(self) -> MergeRule:
        value = (self.value or "").strip() or None
        if self.by in ("folder", "workspace") and value is None:
            raise Problem(f"merge_streams: a rule by {self.by} needs the {self.by}'s ID as its value.")
        if self.by in ("folder", "workspace", "template") and value is not None:
            value = str(parse_id(value, f"merge_streams ({self.by})"))
        if self.by == "pattern":
            if value is None:
                raise Problem("merge_streams: a rule by pattern needs a regular expression as its value.")
            try:
                re.compile(value)
            except re.error as error:
                raise Problem(f"merge_streams: {value!r} is not a valid regular expression ({error}).") from None
        self.value = value
        return self

    @property
    def id(self) -> int | None:
        """The folder, workspace or template the rule names (None: a pattern, or every template)."""
        return int(self.value) if self.value is not None and self.by != "pattern" else None


# ----- names that stay ------------------------------------------------------------------------------
KEPT_NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")  # what the naming rule makes: every destination keeps it as it is


def _kept(name: Any, what: str) -> str:
    if not isinstance(name, str) or not KEPT_NAME.fullmatch(name):
        raise Problem(
            f"pinned_names: {what} {name!r} is not a name every destination keeps as it is (a-z, 0-9 and _, a letter "
            "first, at most 63 characters)."
        )
    return name


class NamePin(BaseModel):
    """Names that stay whatever Smartsheet's titles become: a sheet's stream and fields, or a workspace's namespace."""

    model_config = ConfigDict(title="Pinned names", extra="forbid")

    sheet_id: str | int | None = Field(None, title="Sheet ID", json_schema_extra=_ui(0, examples=[ID_EXAMPLE]))
    stream_name: str | None = Field(None, title="Its stream's name", json_schema_extra=_ui(1, examples=["budget_01"]))
    field_names: dict[str, str] | None = Field(
        None,
        title="Its fields' names, by column ID",
        description="Column ID (as the rename warning prints it) -> field name.",
        json_schema_extra=_ui(2, examples=[{"7016548123456789": "amount"}]),
    )
    workspace_id: str | int | None = Field(None, title="Workspace ID", json_schema_extra=_ui(3))
    namespace: str | None = Field(None, title="Its namespace", json_schema_extra=_ui(4))

    @model_validator(mode="after")
    def _fits(self) -> NamePin:
        if self.sheet_id is not None:
            self.sheet_id = str(parse_id(self.sheet_id, "pinned_names (sheet_id)"))
            if self.workspace_id is not None or self.namespace is not None:
                raise Problem("pinned_names: an entry names a sheet_id or a workspace_id, not both.")
            if self.stream_name is None and not self.field_names:
                raise Problem(
                    f"pinned_names: the entry of sheet {self.sheet_id} pins nothing: give stream_name and/or field_names."
                )
            if self.stream_name is not None:
                _kept(self.stream_name, "stream_name")
            names: dict[str, str] = {}
            for column, name in (self.field_names or {}).items():
                column_id = str(parse_id(column, f"pinned_names (a column of sheet {self.sheet_id})"))
                if _kept(name, "field name") in names.values():
                    raise Problem(f"pinned_names: sheet {self.sheet_id} pins {name!r} for two columns.")
                names[column_id] = name
            self.field_names = names or None
        elif self.workspace_id is not None:
            self.workspace_id = str(parse_id(self.workspace_id, "pinned_names (workspace_id)"))
            if self.namespace is None:
                raise Problem(f"pinned_names: the entry of workspace {self.workspace_id} needs its namespace.")
            _kept(self.namespace, "namespace")
        else:
            raise Problem(
                "pinned_names: each entry names a sheet_id (with stream_name and/or field_names) or a workspace_id "
                "(with namespace)."
            )
        return self


# ----- the configuration ----------------------------------------------------------------------------
class SmartsheetConfig(BaseModel):
    """Smartsheet Source Spec."""

    model_config = ConfigDict(title="Smartsheet Source Spec", extra="allow", validate_default=True)

    credentials: Credentials = Field(
        title="Authorization Method",
        description="An API access token (`auth_type` `access_token`), or OAuth2.0 tokens (`auth_type` `oauth2.0`: "
        "client_id, client_secret, access_token, refresh_token, token_expiry_date), filled by Airbyte's "
        "'Authenticate your Smartsheet account' button. Same shape as the official connector.",
        json_schema_extra=_ui(0),
    )
    sheet_ids: tuple[Id, ...] = Field(
        (),
        title="Sheet IDs",
        description="Sheets to sync, by ID (File > Properties in Smartsheet), as numbers or digit strings; each becomes "
        "one stream. At least one of sheet_ids, workspace_ids and report_ids is needed.",
        json_schema_extra=_ui(1, examples=[[ID_EXAMPLE]]),
    )
    workspace_ids: tuple[Id, ...] = Field(
        (),
        title="Workspace IDs",
        description="Workspaces whose sheets are all synced, through every folder.",
        json_schema_extra=_ui(2, examples=[["6522194172720421"]]),
    )
    report_ids: tuple[Id, ...] = Field(
        (),
        title="Report IDs",
        description="Reports to sync, by ID, each one stream of the rows it shows (full refresh only: the API has "
        "no change filter for reports). Cells are typed like sheets' cells; _ss_sheet_id is the row's source sheet.",
        json_schema_extra=_ui(3),
    )
    sheet_name_include: tuple[str, ...] = Field(
        (),
        title="Include sheets whose name matches",
        description="Regular expressions; a workspace sheet is synced only if its name matches one (default: all). "
        "Sheets listed by ID are always synced.",
        json_schema_extra=_ui(4, examples=[["^Project "]]),
    )
    sheet_name_exclude: tuple[str, ...] = Field(
        (),
        title="Exclude sheets whose name matches",
        description="Regular expressions; a workspace sheet whose name matches one is skipped.",
        json_schema_extra=_ui(5, examples=[["(?i)archive"]]),
    )
    region: Literal["us", "eu", "gov", "au"] = Field(
        "us", title="Region", description="Where your Smartsheet account lives.", json_schema_extra=_ui(6)
    )
    start_datetime: datetime | None = Field(
        None,
        title="Start Datetime",
        description="ISO 8601 (a date or a date-time; no zone means UTC). Bounds only the first incremental sync: rows "
        "last modified before it are not read. A full refresh always reads every row.",
        json_schema_extra=_ui(7, examples=["2024-01-01T00:00:00Z"], format="date-time"),
    )
    capture_deletes: bool = Field(
        False,
        title="Capture deleted rows",
        description="In incremental syncs, emit a record with _ab_cdc_deleted_at for each row deleted since the last "
        "sync (costs one small request per changed sheet).",
        json_schema_extra=_ui(8),
    )
    merge_streams: tuple[MergeRule, ...] = Field(
        (),
        title="Merged streams",
        description="Rules that make one stream of many sheets (sheets made from one template, under one folder or "
        "workspace, or matching a name pattern), with _ss_sheet_id and _ss_sheet_name on every record. A sheet goes "
        "to the first rule it matches; sheets no rule matches keep their own stream.",
        json_schema_extra=_ui(9, examples=[[{"by": "template"}], [{"by": "pattern", "value": "^Project ", "name": "projects"}]]),
    )
    api_base_url: str | None = Field(
        None,
        title="API base URL",
        description="Overrides the region's URL (proxies, tests). Must be http(s) and end in /2.0.",
        json_schema_extra=_ui(10, pattern=BASE_URL_PATTERN, examples=["https://api.smartsheet.com/2.0"], **HIDDEN),
    )
    page_size: int = Field(
        1000, ge=1, le=10000, title="Rows per request", description="Rows per page request.", json_schema_extra=_ui(11, **HIDDEN)
    )
    requests_per_minute: int = Field(
        290,
        ge=1,
        le=100000,
        title="Requests per minute",
        description="The connector stays under this rate (Smartsheet allows 300 per token).",
        json_schema_extra=_ui(12, **HIDDEN),
    )
    max_retry_seconds: float = Field(
        600,
        ge=0,
        title="Retry budget (seconds)",
        description="How long one request may be retried on rate limits and server errors before the sync fails.",
        json_schema_extra=_ui(13, **HIDDEN),
    )
    spreadsheet_id: Id | None = Field(
        None,
        title="Sheet ID (legacy)",
        description="The official connector's single sheet (or report, with is_report); added to sheet_ids (or "
        "report_ids). Prefer those.",
        json_schema_extra=_ui(14, **HIDDEN),
    )
    prefetch_sheets: int = Field(
        3,
        ge=0,
        le=8,
        title="Sheets fetched ahead",
        description="How many of the next sheets' first pages are fetched while one sheet is read (0: none). "
        "Requests stay within requests_per_minute.",
        json_schema_extra=_ui(15, **HIDDEN),
    )
    retry_initial_seconds: float = Field(
        1.0,
        ge=0,
        title="First retry wait (seconds)",
        description="The first wait before retrying; each later wait doubles, up to 60 s.",
        json_schema_extra=_ui(16, **HIDDEN),
    )
    connect_timeout_seconds: float = Field(
        10.0,
        ge=1,
        le=120,
        title="Connect timeout (seconds)",
        description="How long to wait for a connection to Smartsheet before trying again.",
        json_schema_extra=_ui(17, **HIDDEN),
    )
    read_timeout_seconds: float = Field(
        30.0,
        ge=5,
        le=600,
        title="Read timeout (seconds)",
        description="How long to wait for the next bytes of an answer before the request is cut and tried again.",
        json_schema_extra=_ui(18, **HIDDEN),
    )
    is_report: bool = Field(
        False,
        title="Sheet ID is a report (legacy)",
        description="The official connector's setting: spreadsheet_id names a report; prefer report_ids.",
        json_schema_extra=_ui(19, **HIDDEN),
    )
    metadata_fields: tuple[str, ...] = Field(
        (),
        title="Metadata fields (legacy, ignored)",
        description="The official connector's setting; accepted and ignored: row metadata is always present.",
        json_schema_extra=_ui(20, **HIDDEN),
    )

    around_rows_recheck_hours: float = Field(
        24,
        ge=0,
        le=720,
        title="Recheck around rows every (hours)",
        description="The streams around rows ask a sheet again when its version moved (new or edited rows, discussions, "
        "comments); what does not move it (summary edits, attachments, deletions) is rechecked for every sheet at least "
        "once in this many hours, an even share of the sheets in each sync. 0: ask every sheet every sync.",
        json_schema_extra=_ui(21),
    )
    cell_history_columns: tuple[str, ...] = Field(
        (),
        title="Cell history of these columns",
        description="Column titles (exact, e.g. Status): the cell_history stream has every change of these columns' "
        "cells in each selected sheet that has such a column, with who made it and when. Costly: the API counts each "
        "cell's history as 10 requests, so only cells whose value changed are asked, within cell_history_budget.",
        json_schema_extra=_ui(22, examples=[["Status", "% Complete"]]),
    )
    cell_history_budget: int = Field(
        600,
        ge=0,
        le=100000,
        title="Cell history budget (requests per sync)",
        description="At most this many requests per sync go to cell history, counted as the API counts them (10 per "
        "cell asked). Cells left over are asked by the next syncs, recent changes first; row data is never delayed.",
        json_schema_extra=_ui(23),
    )

    pinned_names: tuple[NamePin, ...] = Field(
        (),
        title="Pinned names",
        description="Names that stay when sheets, columns or workspaces are renamed in Smartsheet, by ID: a sheet's "
        "stream and its fields (sheet_id, stream_name, field_names by column ID), a workspace's namespace "
        "(workspace_id, namespace). A rename's warning prints the entry to paste.",
        json_schema_extra=_ui(24, examples=[[{"sheet_id": ID_EXAMPLE, "stream_name": "budget_01"}]]),
    )

    _raw: dict[str, Any] = PrivateAttr(default_factory=dict)
    _ignored: tuple[str, ...] = PrivateAttr(default=())

    # ----- cleaning and checking, field by field ------------------------------------------------------
    @model_validator(mode="before")
    @classmethod
    def _legacy_shapes(cls, raw: Any) -> Any:
        if not isinstance(raw, Mapping):
            raise Problem("The configuration must be a JSON object.")
        raw = dict(raw)
        if raw.get("credentials") is None and raw.get("access_token"):
            raw["credentials"] = {"auth_type": "access_token", "access_token": raw["access_token"]}
        raw.setdefault("credentials", None)
        return raw

    @field_validator("credentials", mode="before")
    @classmethod
    def _credentials(cls, raw: Any) -> Any:
        if not isinstance(raw, Mapping):
            raise Problem("credentials is missing: give an API access token (credentials.access_token).")
        token = raw.get("access_token")
        if not isinstance(token, str) or not token.strip():
            raise Problem(
                "The access token is missing or empty. Create one in Smartsheet under "
                "Account > Apps & Integrations > API Access and paste it into credentials.access_token."
            )
        auth_type = _clean(raw.get("auth_type") or "access_token").lower()
        if auth_type not in AUTH_TYPES:
            raise Problem(f"credentials.auth_type must be 'access_token' or 'oauth2.0'; got {auth_type!r}.")
        cleaned = {**raw, "auth_type": auth_type, "access_token": token.strip()}
        if auth_type == "oauth2.0":
            missing = [key for key in OAUTH_KEYS if not _clean(raw.get(key))]
            if missing:
                raise Problem(f"OAuth2.0 credentials need {', '.join(missing)}; re-authenticate the source.")
            cleaned.update({key: _clean(raw[key]) for key in OAUTH_KEYS})
            if _clean(raw.get("token_expiry_date")):
                cleaned["token_expiry_date"] = _timestamp(
                    raw["token_expiry_date"], "credentials.token_expiry_date is not a date-time such as 2026-01-01T00:00:00Z."
                )
            else:
                cleaned["token_expiry_date"] = None
        return cleaned

    @field_validator("sheet_ids", "workspace_ids", "report_ids", mode="before")
    @classmethod
    def _ids(cls, raw: Any, info: ValidationInfo) -> tuple[int, ...]:
        name = str(info.field_name)
        if raw in (None, ""):
            return ()
        if isinstance(raw, (str, int)) and not isinstance(raw, bool):
            raw = [part for part in str(raw).split(",") if part.strip()]
        if not isinstance(raw, (list, tuple)):
            raise Problem(f"{name} must be a list of IDs.")
        return tuple(dict.fromkeys(parse_id(item, name) for item in raw))

    @field_validator("spreadsheet_id", mode="before")
    @classmethod
    def _legacy_id(cls, raw: Any) -> int | None:
        return None if raw in (None, "") else parse_id(raw, "spreadsheet_id")

    @field_validator("sheet_name_include", "sheet_name_exclude", mode="before")
    @classmethod
    def _patterns(cls, raw: Any, info: ValidationInfo) -> tuple[str, ...]:
        if raw in (None, ""):
            return ()
        items = [raw] if isinstance(raw, str) else raw
        if not isinstance(items, (list, tuple)):
            raise Problem(f"{info.field_name} must be a list of regular expressions.")
        for item in items:
            try:
                re.compile(str(item))
            except re.error as error:
                raise Problem(f"{info.field_name}: {item!r} is not a valid regular expression ({error}).") from None
        return tuple(str(item) for item in items)

    @field_validator("cell_history_columns", mode="before")
    @classmethod
    def _titles(cls, raw: Any) -> tuple[str, ...]:
        if raw in (None, ""):
            return ()
        items = [raw] if isinstance(raw, str) else raw
        if not isinstance(items, (list, tuple)) or not all(isinstance(item, str) and item.strip() for item in items):
            raise Problem('cell_history_columns must be a list of column titles, such as ["Status"].')
        return tuple(dict.fromkeys(item.strip() for item in items))

    @field_validator("region", mode="before")
    @classmethod
    def _region(cls, raw: Any) -> str:
        region = _clean(raw or "us").lower()
        if region not in REGION_URLS:
            raise Problem(f"region must be one of {', '.join(REGION_URLS)}; got {region!r}.{_did_you_mean(region, REGION_URLS)}")
        return region

    @field_validator("start_datetime", mode="before")
    @classmethod
    def _start(cls, raw: Any) -> datetime | None:
        if raw in (None, ""):
            return None
        start = _timestamp(raw, f"start_datetime {raw!r} is not a date-time; use ISO 8601 such as 2024-01-01T00:00:00Z.")
        if start > now():
            raise Problem(f"start_datetime {raw!r} is in the future; no row could be read. Use a past date.")
        return start

    @field_validator("api_base_url", mode="before")
    @classmethod
    def _base_url(cls, raw: Any) -> str | None:
        if raw in (None, ""):
            return None
        text = _clean(raw).rstrip("/")
        if not re.match(r"^https?://[^\s/]+", text):
            raise Problem(f"api_base_url must start with http:// or https:// (got {text!r}).")
        if not re.match(BASE_URL_PATTERN, text):
            raise Problem(f"api_base_url must end in /2.0, the API's version (got {text!r}).")
        return text

    @field_validator("page_size", "requests_per_minute", "prefetch_sheets", "cell_history_budget", mode="before")
    @classmethod
    def _whole_number(cls, raw: Any, info: ValidationInfo) -> int:
        low, high = _bounds(cls, str(info.field_name))
        expected = f"{info.field_name} must be a whole number from {low} to {high}."
        if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
            raise Problem(expected)
        try:
            number = int(_clean(raw)) if isinstance(raw, str) else int(raw)
        except ValueError:
            raise Problem(expected) from None
        if (number != raw and not isinstance(raw, str)) or not low <= number <= high:
            raise Problem(expected)
        return number

    @field_validator(
        "max_retry_seconds", "retry_initial_seconds", "connect_timeout_seconds", "read_timeout_seconds", mode="before"
    )
    @classmethod
    def _seconds(cls, raw: Any, info: ValidationInfo) -> float:
        try:
            number = float(_clean(raw) if isinstance(raw, str) else raw)
        except (TypeError, ValueError):
            raise Problem(f"{info.field_name} must be a number of seconds.") from None
        if number < 0:
            raise Problem(f"{info.field_name} must not be negative.")
        low, high = _bounds(cls, str(info.field_name))
        if not low <= number <= high:
            raise Problem(f"{info.field_name} must be from {low:g} to {high:g} seconds.")
        return number

    @model_validator(mode="after")
    def _something_to_sync(self) -> SmartsheetConfig:
        if self.spreadsheet_id is not None:  # the official connector's one sheet (or report)
            if self.is_report:
                self.report_ids = tuple(dict.fromkeys((*self.report_ids, self.spreadsheet_id)))
            else:
                self.sheet_ids = tuple(dict.fromkeys((*self.sheet_ids, self.spreadsheet_id)))
        if not _selects_something(vars(self)):
            raise Problem(NOTHING_TO_SYNC)
        streams = [pin.stream_name for pin in self.pinned_names if pin.stream_name]
        namespaces = [pin.namespace for pin in self.pinned_names if pin.namespace]
        for kind, names in (("stream name", streams), ("namespace", namespaces)):
            twice = sorted({name for name in names if names.count(name) > 1})
            if twice:
                raise Problem(f"pinned_names: the {kind} {twice[0]!r} is pinned for two different IDs.")
        return self

    # ----- what the rest of the connector reads ---------------------------------------------------------
    @property
    def base_url(self) -> str:
        return self.api_base_url or REGION_URLS[self.region]

    @property
    def token_home(self) -> str:
        """Where the token must work, for what a refused token's message says: the region, or "" when api_base_url names
        the host (then the region is not what to check)."""
        return "" if self.api_base_url else self.region

    @property
    def raw(self) -> dict[str, Any]:
        """The config as given (for the OAuth control message, which must keep every key)."""
        return self._raw

    @property
    def ignored_settings(self) -> tuple[str, ...]:
        """A warning for each key that is no setting and resembles none (said once per command, by the source)."""
        return self._ignored

    @cached_property
    def include_patterns(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(pattern) for pattern in self.sheet_name_include)

    @cached_property
    def exclude_patterns(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(pattern) for pattern in self.sheet_name_exclude)

    @cached_property
    def stream_pins(self) -> dict[int, str]:
        """Sheet id -> the stream name pinned for it."""
        return {int(pin.sheet_id): pin.stream_name for pin in self.pinned_names if pin.sheet_id and pin.stream_name}

    def field_pins(self, sheet_id: int) -> dict[int, str]:
        """Column id -> the field name pinned for it, in this sheet."""
        pins = [pin.field_names for pin in self.pinned_names if pin.sheet_id == str(sheet_id) and pin.field_names]
        return {int(column): name for names in pins for column, name in names.items()}

    @cached_property
    def namespace_pins(self) -> dict[int, str]:
        """Workspace id -> the namespace pinned for it."""
        return {int(pin.workspace_id): pin.namespace for pin in self.pinned_names if pin.workspace_id and pin.namespace}

    def wants_sheet_name(self, name: str) -> bool:
        """Name filters apply to workspace sheets; sheets listed by ID are always synced."""
        if self.include_patterns and not any(p.search(name) for p in self.include_patterns):
            return False
        return not any(p.search(name) for p in self.exclude_patterns)


NOTHING_TO_SYNC = (
    "Nothing to sync: set sheet_ids (a list of sheet IDs) and/or workspace_ids (a list of workspace IDs) and/or report_ids."
)
SELECTING_FIELDS = ("sheet_ids", "workspace_ids", "report_ids", "spreadsheet_id")


def _selects_something(values: Mapping[str, Any]) -> bool:
    """Whether a config (parsed, or as given) names at least one sheet, workspace or report."""
    return any(values.get(name) not in (None, "", (), []) for name in SELECTING_FIELDS)


# Keys the connector reads: the model's fields and, for configs written before `credentials`, a bare access_token.
SETTINGS = frozenset(SmartsheetConfig.model_fields) | {"access_token"}
CREDENTIAL_SETTINGS = frozenset(AccessTokenCredentials.model_fields) | frozenset(OAuthCredentials.model_fields)
RULE_SETTINGS = frozenset(MergeRule.model_fields)
PIN_SETTINGS = frozenset(NamePin.model_fields)


def unknown_settings(raw: Mapping[str, Any]) -> list[UnknownKey]:
    """Keys that are not settings, at the top, in `credentials` and in each merge rule and name pin (where an unknown
    key that resembles no setting is refused by the model itself)."""
    found = unknown_keys(raw, SETTINGS)
    credentials = raw.get("credentials")
    if isinstance(credentials, Mapping):
        found += unknown_keys(credentials, CREDENTIAL_SETTINGS, "credentials.")
    for setting, known in (("merge_streams", RULE_SETTINGS), ("pinned_names", PIN_SETTINGS)):
        entries = raw.get(setting)
        for position, entry in enumerate(entries if isinstance(entries, list) else []):
            if isinstance(entry, Mapping):
                found += [key for key in unknown_keys(entry, known, f"{setting}.{position}.") if key.closest]
    return found


def parse_config(raw: Mapping[str, Any]) -> SmartsheetConfig:
    """Validate a user's config. Raises ConfigError naming every problem found, in one message: a key that is a typo
    of a setting among them."""
    unknown = unknown_settings(raw) if isinstance(raw, Mapping) else []
    typos = [key.message for key in unknown if key.closest is not None]
    try:
        config = SmartsheetConfig.model_validate(raw)
    except ValidationError as error:
        named = {key.path for key in unknown}
        problems = typos + [_sentence(detail) for detail in error.errors() if not _names_unknown(detail, named)]
        if isinstance(raw, Mapping) and not _selects_something(raw):  # said even when other fields failed too
            problems.append(NOTHING_TO_SYNC)
        raise ConfigError(" ".join(dict.fromkeys(problems))) from None
    if typos:
        raise ConfigError(" ".join(typos))
    config._raw = dict(raw)
    config._ignored = tuple(key.message for key in unknown)
    return config


def _names_unknown(detail: Mapping[str, Any], named: set[str]) -> bool:
    """A pydantic error about a key already named as a typo (a merge rule refuses unknown keys itself)."""
    return detail.get("type") == "extra_forbidden" and ".".join(str(part) for part in detail.get("loc", ())) in named


def parse_id(value: Any, name: str) -> int:
    """A Smartsheet ID: a positive whole number, given as a number or as digits."""
    wrong = f"{name}: {value!r} is not a Smartsheet ID (IDs are whole numbers, e.g. {ID_EXAMPLE})."
    if isinstance(value, bool):
        raise Problem(wrong)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        raise Problem(wrong)
    if number <= 0 or number > MAX_ID:
        raise Problem(f"{name}: {value!r} is not a Smartsheet ID (IDs are positive and fit in 64 bits).")
    return number


# ----- helpers -----------------------------------------------------------------------------------------
def _clean(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def _timestamp(raw: Any, problem: str) -> datetime:
    try:
        return parse_time(str(raw))
    except ValueError:
        raise Problem(problem) from None


def _bounds(model: type[BaseModel], name: str) -> tuple[int, int]:
    """The `ge`/`le` a field declares: the bound in the spec and in the message are one fact."""
    low, high = 0, MAX_ID  # as wide as an ID when the field declares no bound
    for constraint in model.model_fields[name].metadata:
        low = getattr(constraint, "ge", low)
        high = getattr(constraint, "le", high)
    return low, high


def _did_you_mean(given: Any, allowed: Iterable[str]) -> str:
    """` Did you mean 'template'?` for a value that is a typo of an allowed one (as for a misspelled key), else ``."""
    near = closest(str(given), list(allowed)) if isinstance(given, str) else None
    return f" Did you mean {near!r}?" if near is not None and near != given else ""


JSON_KINDS = {"bool": "true or false", "string": "text", "list": "a list", "tuple": "a list", "dict": "an object"}


def _sentence(detail: Mapping[str, Any]) -> str:
    """One validation failure as a sentence: ours as written, pydantic's own rephrased (its text never shown)."""
    error = (detail.get("ctx") or {}).get("error")
    if isinstance(error, Problem):
        return str(error)
    where = ".".join(str(part) for part in detail.get("loc", ()) if part not in AUTH_TYPES)  # not the union's tag
    kind = str(detail.get("type", ""))
    for prefix, expected in JSON_KINDS.items():
        if kind.startswith(prefix):
            return f"{where} must be {expected}."
    if kind == "missing":
        return f"{where} is missing."
    if kind == "literal_error":
        expected = str((detail.get("ctx") or {}).get("expected"))
        allowed = re.findall(r"'([^']*)'", expected)
        return f"{where} must be one of {expected}; got {detail.get('input')!r}.{_did_you_mean(detail.get('input'), allowed)}"
    if kind == "extra_forbidden":
        return f"{where} is not a setting this connector knows."
    return f"{where} has a value this connector cannot use."
