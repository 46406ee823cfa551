"""One version and one image name, said the same way in setup.py, metadata.yaml, the client and the README."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from source_smartsheets.client import USER_AGENT
from source_smartsheets.version import VERSION

ROOT = Path(__file__).resolve().parents[1]


def test_version_is_the_same_everywhere() -> None:
    metadata = yaml.safe_load((ROOT / "metadata.yaml").read_text())["data"]
    assert metadata["dockerImageTag"] == VERSION
    assert USER_AGENT.endswith(f"/{VERSION}")
    changelog = (ROOT / "README.md").read_text(encoding="utf-8").split("## Changelog", 1)[1]
    assert re.search(rf"^- {re.escape(VERSION)} ", changelog, re.MULTILINE), "the changelog names this version"


def test_image_name_in_the_readme_is_the_one_in_metadata() -> None:
    metadata = yaml.safe_load((ROOT / "metadata.yaml").read_text())["data"]
    image = f"{metadata['dockerRepository']}:{metadata['dockerImageTag']}"
    assert image in (ROOT / "README.md").read_text(encoding="utf-8")
