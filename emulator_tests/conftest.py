"""Fixtures for the emulator's own tests: a world served on loopback and a tiny HTTP client."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Iterator
from urllib.parse import urlencode

import pytest

from smartsheet_emulator import Emulator, build


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str]
    raw: bytes


class Http:
    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def get(self, path: str, token: str | None = "", **params: Any) -> Answer:
        """GET as the world's owner (`token=""`), with another token, or with none (`token=None`)."""
        token = self.emulator.world.token if token == "" else token
        query = urlencode({key: value for key, value in params.items() if value is not None})
        url = f"{self.emulator.base_url}{path}" + (f"?{query}" if query else "")
        request = urllib.request.Request(url)
        if token is not None:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                raw = response.read()
                return Answer(response.status, _json(raw), dict(response.headers), raw)
        except urllib.error.HTTPError as error:
            raw = error.read()
            return Answer(error.code, _json(raw), dict(error.headers), raw)


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None


@pytest.fixture
def serve() -> Iterator[Any]:
    """`serve("edge", rate_limit=..., faults=...)` -> (world, Http); stopped after the test."""
    running: list[Emulator] = []

    def start(world_name: str = "edge", **options: Any) -> tuple[Any, Http]:
        options.setdefault("rate_limit", None)
        emulator = Emulator(build(world_name), **options).start()
        running.append(emulator)
        return emulator.world, Http(emulator)

    yield start
    for emulator in running:
        emulator.stop()


@pytest.fixture
def edge(serve):
    return serve("edge")


def cells_by_title(body: dict[str, Any], row: dict[str, Any]) -> dict[str, dict[str, Any]]:
    titles = {column["id"]: column["title"] for column in body["columns"]}
    return {titles[cell["columnId"]]: cell for cell in row["cells"]}
