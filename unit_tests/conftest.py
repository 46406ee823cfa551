"""Shared helpers for unit tests: the recorded API samples in ../shared/api-samples."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

SAMPLES = Path(os.environ.get("SMARTSHEET_API_SAMPLES", Path(__file__).resolve().parents[2] / "shared" / "api-samples"))


def load_sample(name: str) -> Any:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"API sample {name} is not available at {SAMPLES}")
    return json.loads(path.read_text())


@pytest.fixture
def sample():
    return load_sample
