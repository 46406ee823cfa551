"""Send one request with explicit timeouts, and name what went wrong in the error table's terms.

No retries here (the client's retry layer decides, from `errors.ANSWERS`), and no secret in any error:
only the host and the kind of failure, never the URL's query or a header.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator
from urllib.parse import urlsplit

import orjson
import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NameResolutionError

from .errors import SmartsheetApiError, Transport


@dataclass(frozen=True)
class Timeouts:
    """Seconds to connect, and seconds to wait for the next bytes of an answer."""

    connect: float
    read: float


class HttpTransport:
    """A pooled HTTP session: one request in, a response or a classified SmartsheetApiError out."""

    def __init__(self, pool_size: int = 8) -> None:
        self._session = requests.Session()
        for scheme in ("http://", "https://"):
            self._session.mount(scheme, HTTPAdapter(pool_connections=pool_size, pool_maxsize=pool_size))

    def send(self, prepared: requests.PreparedRequest, path: str, timeouts: Timeouts) -> requests.Response:
        try:
            return self._session.send(prepared, timeout=(timeouts.connect, timeouts.read))
        except requests.RequestException as exc:
            kind = failure_of(exc)
            host = host_of(prepared.url)
            detail = _detail(exc, kind)
            if kind is Transport.TIMEOUT:
                waited = timeouts.connect if isinstance(exc, requests.exceptions.ConnectTimeout) else timeouts.read
                detail = f"{host} sent no answer within {waited:g} s"
            raise SmartsheetApiError(None, None, detail, path, transport=kind, host=host) from None


def failure_of(exc: BaseException) -> Transport:
    """The kind of a transport failure, from the exception and what caused it."""
    if isinstance(exc, requests.exceptions.SSLError):
        return Transport.TLS
    if isinstance(exc, requests.exceptions.Timeout):
        return Transport.TIMEOUT
    for cause in _causes(exc):
        if isinstance(cause, NameResolutionError):
            return Transport.DNS
        if isinstance(cause, ConnectionRefusedError):
            return Transport.REFUSED
    return Transport.DROPPED


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    pending: list[object] = [exc]
    while pending:
        current = pending.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending += [current.__cause__, current.__context__, getattr(current, "reason", None), *current.args]


def _detail(exc: BaseException, kind: Transport) -> str:
    if kind is Transport.TLS:
        for cause in _causes(exc):
            reason = getattr(cause, "reason", None)
            if isinstance(reason, str) and reason:
                return reason.replace("_", " ").lower()  # e.g. WRONG_VERSION_NUMBER -> wrong version number
        return "the handshake failed"
    return f"{type(exc).__name__}, no answer"  # the exception's text can hold the URL: name only its kind


def host_of(url: str | None) -> str:
    parts = urlsplit(url or "")
    return parts.netloc.rsplit("@", 1)[-1] or "the server"


def body_of(response: requests.Response, path: str, parse: bool) -> object:
    """A success's body (parsed, or the raw bytes); a body that is not the API's JSON is a classified error."""
    content = response.content
    if not parse:
        if _looks_like_html(content):
            raise _not_api(response, path)
        return content
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        if _looks_like_html(content) or "html" in response.headers.get("Content-Type", "").lower():
            raise _not_api(response, path) from None
        raise SmartsheetApiError(
            None, None, "the answer was not complete JSON", path, transport=Transport.TRUNCATED, host=host_of(response.url)
        ) from None


def _looks_like_html(content: bytes) -> bool:
    return content[:256].lstrip()[:1] == b"<"  # a page's first bytes only: pages of rows are megabytes


def _not_api(response: requests.Response, path: str) -> SmartsheetApiError:
    kind = response.headers.get("Content-Type", "").split(";")[0] or "no content type"
    detail = f"HTTP {response.status_code}, {kind}"
    return SmartsheetApiError(None, None, detail, path, transport=Transport.NOT_API, host=host_of(response.url))


def error_of(response: requests.Response, path: str) -> SmartsheetApiError:
    """An error answer's `{errorCode, message, refId}`; a body that is not JSON (an HTML 503) classifies by status."""
    code = None
    message = response.reason or "error"
    ref_id = None
    try:
        body = orjson.loads(response.content)
        if isinstance(body, dict):
            code = body.get("errorCode") if isinstance(body.get("errorCode"), int) else None
            message = str(body.get("message") or message)
            ref_id = body.get("refId")
    except orjson.JSONDecodeError:
        message = f"{message} (the body was not JSON)"
    return SmartsheetApiError(response.status_code, code, message, path, ref_id, host=host_of(response.url))
