"""Serve the emulator's demo world for airbyte-cdk's standard tests, and write the configs they read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import pytest

from smartsheet_emulator import Emulator, build

STANDARD = Path(__file__).parent
GENERATED = STANDARD / "generated"


@pytest.fixture(scope="session", autouse=True)
def standard_test_configs() -> Iterator[Emulator]:
    emulator = Emulator(build("demo"), rate_limit=None).start()
    GENERATED.mkdir(exist_ok=True)
    good = {
        **emulator.connector_config(),
        "max_retry_seconds": 5,
    }
    bad = {**good, "credentials": {"auth_type": "access_token", "access_token": "not-a-valid-token-0e1f"}}
    (GENERATED / "config.json").write_text(json.dumps(good))
    (GENERATED / "invalid_config.json").write_text(json.dumps(bad))
    yield emulator
    emulator.stop()


# The command each standard test runs for its scenario (the CDK skips a test whose scenario's section does not
# run that command: `invalid_config` sits under `connection`, which runs only `check`).
COMMAND_OF_TEST = {
    "test_config_matches_spec": "spec",
    "test_check": "check",
    "test_discover": "discover",
    "test_basic_read": "read",
    "test_fail_read_with_bad_catalog": "read",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the (test, scenario) pairs the suite's generator makes and the suite itself would skip, so that
    `make test` shows a skip only when something that should run could not; keep the suite on one worker."""
    kept, left_out = [], []
    for item in items:
        if item.path.is_relative_to(STANDARD):
            item.add_marker(pytest.mark.xdist_group("standard"))  # one worker: they share the generated configs
        scenario = getattr(item, "callspec", None) and item.callspec.params.get("scenario")
        command = COMMAND_OF_TEST.get(getattr(item, "originalname", ""))
        if scenario is not None and command is not None and not scenario.runs(command):
            left_out.append(item)
        else:
            kept.append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
