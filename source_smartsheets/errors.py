"""The one place that decides what each Smartsheet error means (shared/smartsheet-api.md, Errors and limits)."""

from __future__ import annotations

from enum import Enum

from airbyte_cdk.models import FailureType
from airbyte_cdk.utils import AirbyteTracedException


class Action(str, Enum):
    RETRY = "retry"  # back off and try again, within the retry budget
    REFRESH_TOKEN = "refresh_token"  # OAuth: refresh once, then retry
    SKIP_SHEET = "skip_sheet"  # this sheet is gone or not shared: warn, go on with the others
    CONFIG_ERROR = "config_error"  # the user must change something (token, region, IDs)
    FAIL = "fail"  # a bug or an unknown answer: stop with the details


class SmartsheetApiError(Exception):
    """An answer other than success, after retries. Never carries a secret: only the path and the body's fields."""

    def __init__(self, status: int | None, code: int | None, message: str, path: str, ref_id: str | None = None) -> None:
        super().__init__(f"{status or 'no response'} {code or ''} {message} ({path})".replace("  ", " "))
        self.status = status
        self.code = code
        self.message = message
        self.path = path
        self.ref_id = ref_id

    @property
    def action(self) -> Action:
        return classify(self.status, self.code)


# (HTTP status, errorCode) -> action; errorCode None matches any code (or a body that is not JSON).
DECISIONS: dict[tuple[int | None, int | None], Action] = {
    (None, None): Action.RETRY,  # dropped connection, timeout, truncated body
    (429, None): Action.RETRY,
    (429, 4003): Action.RETRY,
    (500, 4000): Action.RETRY,
    (500, 4002): Action.RETRY,
    (500, 4004): Action.RETRY,
    (500, None): Action.RETRY,
    (502, None): Action.RETRY,
    (503, None): Action.RETRY,  # 4001 maintenance, or an HTML body
    (504, None): Action.RETRY,
    (401, 1001): Action.CONFIG_ERROR,
    (401, 1002): Action.CONFIG_ERROR,
    (401, 1003): Action.REFRESH_TOKEN,
    (401, None): Action.CONFIG_ERROR,
    (403, 1004): Action.SKIP_SHEET,
    (403, None): Action.SKIP_SHEET,
    (404, 1006): Action.SKIP_SHEET,
    (404, None): Action.SKIP_SHEET,
    (410, 4005): Action.FAIL,
    (400, None): Action.FAIL,
}


def classify(status: int | None, code: int | None) -> Action:
    """What to do about an answer; keyed on status and errorCode, never on message text."""
    for key in ((status, code), (status, None)):
        if key in DECISIONS:
            return DECISIONS[key]
    if code in (4001, 4002, 4003, 4004):
        return Action.RETRY
    if status is not None and status >= 500:
        return Action.RETRY
    return Action.FAIL


def explain(error: SmartsheetApiError, what: str) -> str:
    """A sentence a person can act on, for `what` (e.g. "sheet 123")."""
    code = error.code
    if error.status == 401 and code == 1003:
        return f"The access token has expired (while reading {what}). Create a new token or re-authenticate the source."
    if error.status == 401:
        return (
            f"Smartsheet rejected the access token (while reading {what}). Check the token, and that the region "
            "matches your account (us, eu, gov or au): a token works only in its own region."
        )
    if error.status == 403:
        return f"No access to {what}: it is not shared with the token's user. Share it, or remove it from the configuration."
    if error.status == 404:
        return f"{what[:1].upper()}{what[1:]} was not found: check the ID, or whether it was deleted."
    if error.status == 410:
        return "Smartsheet retired the API version this connector uses; upgrade the connector."
    if error.status == 429:
        return f"Smartsheet kept rate-limiting the requests for {what}; the retry budget ran out. Try again later."
    if error.status is None:
        return f"Smartsheet did not answer for {what} ({error.message}); the retry budget ran out."
    if error.action is Action.RETRY:
        return (
            f"Smartsheet kept answering {error.status} for {what}; the retry budget ran out. Smartsheet may be down "
            "or in maintenance: the next sync will try again."
        )
    return f"Smartsheet answered {error.status} (errorCode {code}) for {what}: {error.message}"


def traced(error: SmartsheetApiError, what: str) -> AirbyteTracedException:
    """The error as Airbyte reports it: config (the user acts), transient (the next sync may work), or system."""
    failure = {
        Action.CONFIG_ERROR: FailureType.config_error,
        Action.REFRESH_TOKEN: FailureType.config_error,
        Action.RETRY: FailureType.transient_error,
    }.get(error.action, FailureType.system_error)
    return AirbyteTracedException(message=explain(error, what), internal_message=str(error), failure_type=failure)
