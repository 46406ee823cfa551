"""Every timestamp form the API and users send, parsed in one module; the fast path agrees with pendulum."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pendulum
import pytest
from freezegun import freeze_time

from source_smartsheets.timestamps import format_time, normalize_timestamp, now, parse_local, parse_time


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-01-05T09:00:00Z", "2026-01-05T09:00:00Z"),
        ("2026-01-05T09:00:00+00:00", "2026-01-05T09:00:00Z"),
        ("2015-01-09T11:41:55-08:00", "2015-01-09T19:41:55Z"),
        ("2026-01-05T09:00:00.750+02:00", "2026-01-05T07:00:00Z"),
        ("2024-01-01", "2024-01-01T00:00:00Z"),
        ("2026-02-28T08:00:00", "2026-02-28T08:00:00Z"),  # naive: UTC
        (" 2026-01-05T09:00:00Z ", "2026-01-05T09:00:00Z"),
    ],
)
def test_given_a_timestamp_form_when_parsed_then_aware_utc(text: str, expected: str) -> None:
    parsed = parse_time(text)
    assert parsed.tzinfo is not None and parsed.utcoffset() == timedelta(0)
    assert format_time(parsed) == expected


@pytest.mark.parametrize("text", ["", "next tuesday", "2024-13-01", "not a timestamp", "P1D"])
def test_given_not_a_timestamp_when_parsed_then_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        parse_time(text)


def test_abstract_datetimes_keep_their_wall_time() -> None:
    assert parse_local("2026-02-28T08:00:00").isoformat() == "2026-02-28T08:00:00"


def test_now_is_frozen_by_freezegun() -> None:
    with freeze_time("2026-03-01T12:00:00Z"):
        assert format_time(now()) == "2026-03-01T12:00:00Z"


def _generated(rng: random.Random) -> str:
    moment = datetime(1990, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=rng.randrange(0, 60 * 365 * 86400))
    form = rng.randrange(4)
    if form == 0:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    if form == 1:
        return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    offset = timedelta(minutes=rng.choice([-480, -330, 0, 60, 345, 600]))
    shifted = moment.astimezone(timezone(offset))
    return shifted.isoformat() if form == 2 else shifted.replace(tzinfo=None).isoformat()


def test_given_many_generated_timestamps_then_the_fast_path_equals_pendulum() -> None:
    rng = random.Random(20261126)
    for _ in range(5000):
        text = _generated(rng)
        reference = pendulum.parse(text, tz=pendulum.UTC).in_timezone("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")
        assert normalize_timestamp(text) == reference, text
