"""Query parameters and paging as the API reads and answers them (docs/smartsheet-api.md): shared by every endpoint."""

from __future__ import annotations

import base64
import json
import math
from typing import Any, Callable

from .protocol import bad_param, not_found

APP = "https://app.smartsheet.com"


def parse_id(raw: str) -> int:
    if not raw.isdigit():
        raise not_found()
    return int(raw)


def int_param(query: dict[str, str], name: str, minimum: int = 1) -> int | None:
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    try:
        number = int(raw)
    except ValueError:
        raise bad_param(name) from None
    if number < minimum:
        raise bad_param(name)
    return number


def bool_param(query: dict[str, str], name: str) -> bool:
    # The SDK sends Python's `True`; browsers send `true`.
    return query.get(name, "").lower() == "true"


def list_param(query: dict[str, str], name: str) -> list[str]:
    return [part.strip() for part in query.get(name, "").split(",") if part.strip()]


def id_list(query: dict[str, str], name: str) -> list[int] | None:
    parts = list_param(query, name)
    if not parts:
        return None
    try:
        return [int(part) for part in parts]
    except ValueError:
        raise bad_param(name) from None


def permalink(kind: str, object_id: int) -> str:
    token = base64.b32encode(object_id.to_bytes(8, "big")).decode().rstrip("=").lower()
    return f"{APP}/{kind}/{token}"


def offset_page(items: list[Any], query: dict[str, str]) -> dict[str, Any]:
    """An IndexResult; `includeAll` drops `pageSize`, a page past the end repeats the last page."""
    total = len(items)
    if bool_param(query, "includeAll"):
        return {"pageNumber": 1, "totalPages": 1, "totalCount": total, "data": items}
    size = int_param(query, "pageSize") or 100
    pages = max(1, math.ceil(total / size))
    page = min(int_param(query, "page") or 1, pages)
    data = items[(page - 1) * size : page * size]
    return {"pageNumber": page, "pageSize": size, "totalPages": pages, "totalCount": total, "data": data}


def token_page(
    items: list[dict[str, Any]],
    query: dict[str, str],
    default_max: int | None,
    list_key: str = "data",
    minimum: int = 1,
    key: Callable[[dict[str, Any]], Any] = lambda item: item["id"],
) -> dict[str, Any]:
    """Token paging: `{data, lastKey?}` (`GET /shares` answers `items`); `lastKey` is opaque and absent on the last
    page. `maxItems` below `minimum` is taken as `minimum`; `key` names an item uniquely in the list."""
    max_items = int_param(query, "maxItems") or default_max
    if max_items is not None:
        max_items = max(max_items, minimum)
    start = 0
    last_key = query.get("lastKey")
    if last_key:
        try:
            last_id = json.loads(base64.b64decode(last_key.encode()).decode())["lastId"]
            start = next(i for i, item in enumerate(items) if key(item) == last_id) + 1
        except (ValueError, KeyError, StopIteration, TypeError):
            raise bad_param("lastKey") from None
    if max_items is None:
        return {list_key: items[start:]}
    data = items[start : start + max_items]
    body: dict[str, Any] = {list_key: data}
    if start + max_items < len(items):
        body["lastKey"] = base64.b64encode(json.dumps({"lastId": key(data[-1])}, separators=(",", ":")).encode()).decode()
    return body
