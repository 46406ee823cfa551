"""The one place that decides what each Smartsheet answer means (docs/smartsheet-api.md, Errors and limits).

One row per answer: `(HTTP status or transport failure, errorCode) -> Answer(action, failure type, message)`.
Adding an error code is one row; the client's retry layer, `explain` and `traced` all read this table.
Answers are keyed on status and errorCode, never on message text.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from typing import Any, Callable, Iterator, TypeVar

from airbyte_cdk.models import FailureType
from airbyte_cdk.utils import AirbyteTracedException

T = TypeVar("T")


class Action(str, Enum):
    RETRY = "retry"  # back off and try again, within the retry budget
    RETRY_ONCE_REACHED = "retry_once_reached"  # a retry once the host has answered in this run; before: config error
    REFRESH_TOKEN = "refresh_token"  # OAuth: refresh once, then retry
    SKIP_SHEET = "skip_sheet"  # this sheet is gone or not shared: warn, go on with the others
    CONFIG_ERROR = "config_error"  # the user must change something (token, region, IDs, URL)
    FAIL = "fail"  # a bug or an unknown answer: stop with the details


class Transport(str, Enum):
    """Failures with no HTTP answer (or an answer that is not the API's), from the transport."""

    REFUSED = "refused"  # nothing listens at that host and port
    DNS = "dns"  # the host name does not resolve
    TLS = "tls"  # the TLS handshake failed (e.g. https spoken to a plain-HTTP port)
    TIMEOUT = "timeout"  # connected, but no answer within the timeout
    DROPPED = "dropped"  # the connection was cut
    TRUNCATED = "truncated"  # a success whose JSON body was cut short
    NOT_API = "not_api"  # a success that is a web page, not JSON: a proxy or a portal
    UNKNOWN_SHAPE = "unknown_shape"  # a success whose JSON is not the list the call answers


@dataclass(frozen=True)
class Answer:
    action: Action
    failure: FailureType
    message: str  # a template: {subject} {Subject} {status} {code} {detail} {host} {token_home}


_CONFIG, _TRANSIENT, _SYSTEM = FailureType.config_error, FailureType.transient_error, FailureType.system_error
_DID_NOT_ANSWER = "Smartsheet did not answer for {subject} ({detail}); the retry budget ran out."
_KEPT_ANSWERING = (
    "Smartsheet kept answering {status} for {subject}; the retry budget ran out. Smartsheet may be down or in "
    "maintenance: the next sync will try again."
)
_REJECTED = "Smartsheet rejected the access token (while reading {subject}). Check the token{token_home}"
_RATE_LIMITED = "Smartsheet kept rate-limiting the requests for {subject}; the retry budget ran out. Try again later."
_NOT_SHARED = "No access to {subject}: it is not shared with the token's user. Share it, or remove it from the configuration."
_NOT_FOUND = "{Subject} was not found: check the ID, or whether it was deleted."
_UNEXPECTED = "Smartsheet answered {status} (errorCode {code}) for {subject}: {detail}"

ANSWERS: dict[tuple[int | Transport, int | None], Answer] = {
    (Transport.REFUSED, None): Answer(
        Action.RETRY_ONCE_REACHED,
        _CONFIG,
        "Could not connect to {host}: the connection was refused (nothing listens there). Check api_base_url and "
        "the region; a proxy or firewall may be in the way.",
    ),
    (Transport.DNS, None): Answer(
        Action.RETRY_ONCE_REACHED,
        _CONFIG,
        "The host {host} was not found (its name does not resolve). Check api_base_url and the region, and this "
        "machine's network and DNS.",
    ),
    (Transport.TLS, None): Answer(
        Action.RETRY_ONCE_REACHED,
        _CONFIG,
        "The secure connection to {host} failed ({detail}). Check that api_base_url says https only where the "
        "server speaks it, and any proxy that intercepts TLS.",
    ),
    (Transport.NOT_API, None): Answer(
        Action.RETRY_ONCE_REACHED,
        _CONFIG,
        "{host} answered with a web page, not Smartsheet's API ({detail}): a proxy, a captive portal or a wrong "
        "api_base_url is in the way.",
    ),
    (Transport.UNKNOWN_SHAPE, None): Answer(
        Action.FAIL,
        _SYSTEM,
        "Smartsheet answered {subject} in a shape this connector does not know ({detail}): the API may have changed. "
        "Upgrade the connector, or report it with this message.",
    ),
    (Transport.TIMEOUT, None): Answer(
        Action.RETRY,
        _TRANSIENT,
        _DID_NOT_ANSWER + " Check api_base_url and any proxy or firewall in between; raise read_timeout_seconds if "
        "answers are only slow.",
    ),
    (Transport.DROPPED, None): Answer(Action.RETRY, _TRANSIENT, _DID_NOT_ANSWER),
    (Transport.TRUNCATED, None): Answer(Action.RETRY, _TRANSIENT, _DID_NOT_ANSWER),
    (429, None): Answer(Action.RETRY, _TRANSIENT, _RATE_LIMITED),
    (500, None): Answer(Action.RETRY, _TRANSIENT, _KEPT_ANSWERING),  # 4000, 4002, 4004 and any other
    (502, None): Answer(Action.RETRY, _TRANSIENT, _KEPT_ANSWERING),
    (503, None): Answer(Action.RETRY, _TRANSIENT, _KEPT_ANSWERING),  # 4001 maintenance, or an HTML body
    (504, None): Answer(Action.RETRY, _TRANSIENT, _KEPT_ANSWERING),
    (401, 1003): Answer(
        Action.REFRESH_TOKEN,
        _CONFIG,
        "The access token has expired (while reading {subject}). Create a new token or re-authenticate the source.",
    ),
    (401, None): Answer(Action.CONFIG_ERROR, _CONFIG, _REJECTED),  # 1001 missing, 1002 invalid, or another region's
    (403, None): Answer(Action.SKIP_SHEET, _CONFIG, _NOT_SHARED),  # 1004
    (404, None): Answer(Action.SKIP_SHEET, _CONFIG, _NOT_FOUND),  # 1006
    (410, None): Answer(Action.FAIL, _SYSTEM, "Smartsheet retired the API version this connector uses; upgrade the connector."),
}
UNKNOWN = Answer(Action.FAIL, _SYSTEM, _UNEXPECTED)  # 400 and anything the table does not name
RETRYABLE_CODES = (4001, 4002, 4003, 4004)  # retryable whatever the status (docs/smartsheet-api.md)


def answer_for(status: int | Transport | None, code: int | None) -> Answer:
    """The row for an answer: exact (status, code) first, then the status alone, then the fallbacks."""
    key = status if status is not None else Transport.DROPPED
    for candidate in ((key, code), (key, None)):
        if candidate in ANSWERS:
            return ANSWERS[candidate]
    if code in RETRYABLE_CODES or (isinstance(key, int) and key >= 500):
        return ANSWERS[(500, None)]
    return UNKNOWN


def classify(status: int | Transport | None, code: int | None) -> Action:
    """What to do about an answer."""
    return answer_for(status, code).action


class SmartsheetApiError(Exception):
    """An answer other than success, after retries. Never carries a secret: only the path, the host and the body's fields."""

    def __init__(
        self,
        status: int | None,
        code: int | None,
        message: str,
        path: str,
        ref_id: str | None = None,
        transport: Transport | None = None,
        host: str = "",
    ) -> None:
        super().__init__(f"{status or transport or 'no response'} {code or ''} {message} ({path})".replace("  ", " "))
        self.status = status
        self.code = code
        self.message = message
        self.path = path
        self.ref_id = ref_id
        self.transport = transport
        self.host = host

    @property
    def answer(self) -> Answer:
        return answer_for(self.transport or self.status, self.code)

    @property
    def action(self) -> Action:
        return self.answer.action


def explain(error: SmartsheetApiError, label: str, region: str | None = None) -> str:
    """A sentence a person can act on, about `label` (e.g. "sheet 123"). `region`: where the config says its token
    works (`SmartsheetConfig.token_home`: a region, or "" when api_base_url names the host)."""
    fields: dict[str, Any] = {
        "subject": label,
        "Subject": label[:1].upper() + label[1:],
        "status": error.status,
        "code": error.code,
        "detail": error.message,
        "host": error.host or "the server",
        "token_home": _token_home(region, error.host or "the server"),
    }
    return error.answer.message.format(**fields)


def _token_home(region: str | None, host: str) -> str:
    """What to check besides the token: the region (a token works only in its own), or the host api_base_url names."""
    if region == "":
        return f", and that api_base_url ({host}) serves your account: a token works only on the Smartsheet that made it."
    said = ", and that the region matches your account (us, eu, gov or au): a token works only in its own region."
    if region is None:
        return said
    others = [name for name in ("us", "eu", "gov", "au") if name != region]
    return (
        f"{said} This configuration uses region {region!r}; if your account is on another one, set region to {', '.join(others)}."
    )


def traced(error: SmartsheetApiError, label: str, region: str | None = None) -> AirbyteTracedException:
    """The error as Airbyte reports it, with the failure type its row gives."""
    return AirbyteTracedException(
        message=explain(error, label, region), internal_message=str(error), failure_type=error.answer.failure
    )


@contextmanager
def skipped_if_gone(
    label: str, on_gone: Callable[[str], None], region: str | None = None, as_traced: bool = True
) -> Iterator[None]:
    """The one rule for an object that is gone or not shared (the table's SKIP_SHEET): `on_gone` gets the sentence
    to say (a warning, or a problem to report), and the work in the block ends there while the caller goes on.
    Any other API error is raised as Airbyte reports it (`as_traced=False`: as it is, for a caller that reports
    it in its own words)."""
    try:
        yield
    except SmartsheetApiError as error:
        if error.action is not Action.SKIP_SHEET:
            if as_traced:
                raise traced(error, label, region) from None
            raise
        on_gone(explain(error, label))


def unless_gone(
    fetch: Callable[[], T], label: str, on_gone: Callable[[str], None], region: str | None = None, as_traced: bool = True
) -> T | None:
    """`fetch()`'s answer, or None when its object is gone or not shared (said through `on_gone`, as
    `skipped_if_gone` says it)."""
    with skipped_if_gone(label, on_gone, region, as_traced):
        return fetch()
    return None
