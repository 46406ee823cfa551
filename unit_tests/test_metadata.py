"""One version and one image name, said the same way in setup.py, metadata.yaml, the client, the changelog and
the README; and the README stays a guide a user reads top to bottom (its details live in docs/)."""

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
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^- {re.escape(VERSION)} ", changelog, re.MULTILINE), "the changelog names this version"


def test_image_name_in_the_readme_is_the_one_in_metadata() -> None:
    metadata = yaml.safe_load((ROOT / "metadata.yaml").read_text())["data"]
    image = f"{metadata['dockerRepository']}:{metadata['dockerImageTag']}"
    assert image in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_is_under_360_lines_and_every_file_it_points_to_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 360  # a user's guide with room to grow: the details live in docs/
    named = set(re.findall(r"`((?:docs|benchmarks|unit_tests|integration_tests)/[\w./-]+\.\w+|CHANGELOG\.md)`", readme))
    assert named and all((ROOT / path).exists() for path in named), sorted(path for path in named if not (ROOT / path).exists())
