"""Shared helpers for unit tests: recorded API bodies kept in unit_tests/resources/api-samples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

SAMPLES = Path(__file__).resolve().parent / "resources" / "api-samples"


def load_sample(name: str) -> Any:
    """A recorded body; a missing one fails the test (the fixtures live in the repository)."""
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"))


@pytest.fixture
def sample():
    return load_sample
