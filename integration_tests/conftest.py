"""Fixtures for end-to-end tests: an emulator world and a harness that runs the real command."""

from __future__ import annotations

from typing import Any, Iterator

import pytest

from integration_tests.harness import Harness
from smartsheet_emulator import Emulator, build


@pytest.fixture
def world_harness(tmp_path) -> Iterator[Any]:
    """`world_harness("edge", rate_limit=..., faults=..., real_command=False)` -> a Harness on a fresh world."""
    running: list[Emulator] = []

    def start(world_name: str = "demo", real_command: bool = False, **options: Any) -> Harness:
        options.setdefault("rate_limit", None)
        emulator = Emulator(build(world_name), **options).start()
        running.append(emulator)
        workdir = tmp_path / f"{world_name}-{len(running)}"
        workdir.mkdir()
        return Harness(emulator, workdir, real_command)

    yield start
    for emulator in running:
        emulator.stop()


@pytest.fixture
def demo(world_harness) -> Harness:
    return world_harness("demo")


@pytest.fixture
def edge(world_harness) -> Harness:
    return world_harness("edge")
