"""Serve the emulator's demo world for airbyte-cdk's standard tests, and write the configs they read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import pytest

from smartsheet_emulator import DEFAULT_TOKEN, Emulator, build

GENERATED = Path(__file__).parent / "generated"


@pytest.fixture(scope="session", autouse=True)
def standard_test_configs() -> Iterator[Emulator]:
    emulator = Emulator(build("demo"), rate_limit=None).start()
    GENERATED.mkdir(exist_ok=True)
    good = {
        "credentials": {"auth_type": "access_token", "access_token": DEFAULT_TOKEN},
        "workspace_ids": [str(workspace_id) for workspace_id in emulator.world.workspaces],
        "api_base_url": emulator.base_url,
        "max_retry_seconds": 5,
    }
    bad = {**good, "credentials": {"auth_type": "access_token", "access_token": "not-a-valid-token-0e1f"}}
    (GENERATED / "config.json").write_text(json.dumps(good))
    (GENERATED / "invalid_config.json").write_text(json.dumps(bad))
    yield emulator
    emulator.stop()
