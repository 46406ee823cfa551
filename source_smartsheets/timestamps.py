"""Time, in one place: every timestamp the API or a user sends is parsed here, with pendulum.

Smartsheet writes `YYYY-MM-DDTHH:MM:SSZ` at one-second resolution; old answers and users also send
`+00:00`, other offsets, date-only start dates and naive times (taken as UTC). Everything leaves this
module as a timezone-aware UTC datetime, or as the API's own `...Z` text.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pendulum

ONE_SECOND = timedelta(seconds=1)
_ZULU = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def parse_time(text: str) -> datetime:
    """An ISO 8601 timestamp (or date) as an aware UTC datetime; naive input is UTC. Raises ValueError."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"{text!r} is not a timestamp")
    parsed = pendulum.parse(text.strip(), tz=pendulum.UTC)
    if not isinstance(parsed, datetime):  # a duration or a bare time of day
        raise ValueError(f"{text!r} is not a timestamp")
    return parsed.astimezone(timezone.utc)


def parse_local(text: str) -> datetime:
    """A timestamp with no zone kept as it is written (project dates: ABSTRACT_DATETIME). Raises ValueError."""
    parsed = pendulum.parse(text.strip(), tz=None)
    if not isinstance(parsed, datetime):
        raise ValueError(f"{text!r} is not a timestamp")
    return parsed.replace(tzinfo=None)


def format_time(moment: datetime) -> str:
    """The API's own form: UTC, whole seconds, `Z`."""
    return moment.astimezone(timezone.utc).strftime(_FORMAT)


def normalize_timestamp(text: str) -> str:
    """Any accepted form -> `YYYY-MM-DDTHH:MM:SSZ` in UTC. Raises ValueError.

    This runs once per row and per date-time cell. The live service always writes the `Z` form, which
    is returned as it is after a regular-expression check (about 40x cheaper than a parse); every other
    form goes through pendulum. `unit_tests/test_timestamps.py` proves the two paths agree on generated
    timestamps.
    """
    if len(text) == 20 and text[19] == "Z" and _ZULU.match(text):
        return text
    return format_time(parse_time(text))


def now() -> datetime:
    """The current time, aware, UTC (frozen by freezegun in tests)."""
    return pendulum.now(pendulum.UTC)
