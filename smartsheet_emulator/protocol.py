"""What the emulator's API speaks, with no HTTP transport: a request, a response, and an error as the API answers it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


class ApiError(Exception):
    """An error the API answers with `{errorCode, message, refId}`."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def not_found() -> ApiError:
    return ApiError(404, 1006, "Not Found")


def bad_param(name: str) -> ApiError:
    return ApiError(400, 1018, f"The value for {name} is not valid.")


@dataclass
class Request:
    method: str
    path: str  # below /2.0, e.g. "/sheets/123"
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass
class Response:
    status: int
    body: Any
    endpoint: str
    headers: dict[str, str] = field(default_factory=dict)


def error_body(code: int, message: str) -> dict[str, Any]:
    ref = hashlib.sha1(f"{code}{message}".encode()).hexdigest()[:12]
    return {"errorCode": code, "message": message, "refId": ref}
