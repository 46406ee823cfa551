"""The Docker image's install, without Docker: the Dockerfile's own COPY and RUN steps in a fresh venv.

No Docker engine runs here, so the image is proven this way: the files the Dockerfile copies are
copied the same way into an empty directory, its `pip install` lines (the locked versions, then the
connector) run in a new virtual environment
(the package cache allowed, which changes nothing that is installed), and the command its ENTRYPOINT
names answers `spec` and `check` against the emulator.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from smartsheet_emulator import Emulator, build

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.xdist_group("image-install")  # one worker builds the environment both tests use


def _dockerfile() -> list[tuple[str, str]]:
    steps = []
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instruction, _, rest = line.partition(" ")
            steps.append((instruction.upper(), rest.strip()))
    return steps


def test_dockerfile_is_pinned_and_ends_as_the_airbyte_user() -> None:
    steps = _dockerfile()
    assert steps[0][0] == "FROM" and "python-connector-base:4.0.2@sha256:" in steps[0][1]
    assert steps[-1] == ("USER", "airbyte")
    env = dict(step[1].split("=", 1) for step in steps if step[0] == "ENV")
    entrypoint = json.loads(dict(steps)["ENTRYPOINT"])
    assert env["AIRBYTE_ENTRYPOINT"].strip('"') == " ".join(entrypoint) == "source-smartsheets"


@pytest.fixture(scope="module")
def image_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Replay the Dockerfile's WORKDIR, COPY and RUN pip steps into a fresh directory and venv."""
    workdir = tmp_path_factory.mktemp("integration_code")
    venv = tmp_path_factory.mktemp("image-venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    for instruction, argument in _dockerfile():
        if instruction == "COPY":
            source, target = argument.split()
            destination = workdir / target
            destination.parent.mkdir(parents=True, exist_ok=True)
            if (ROOT / source).is_dir():
                shutil.copytree(ROOT / source, destination, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy(ROOT / source, destination if target != "./" else workdir / source)
        elif instruction == "RUN":
            command = [part for part in shlex.split(argument) if part != "--no-cache-dir"]
            assert command[:2] == ["pip", "install"], argument
            subprocess.run(
                [str(venv / "bin" / "pip"), *command[1:], "-q", "--disable-pip-version-check"],
                cwd=workdir,
                check=True,
                timeout=900,
            )
    return venv


def test_image_install_holds_only_the_connector(image_venv: Path) -> None:
    site = next((image_venv / "lib").glob("python*/site-packages"))
    assert (site / "source_smartsheets" / "spec.py").exists()  # the spec is generated from the model
    assert not (site / "smartsheet_emulator").exists()  # the emulator stays out of the image


def test_installed_command_answers_spec_and_check(image_venv: Path, tmp_path: Path) -> None:
    command = str(image_venv / "bin" / "source-smartsheets")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    spec = subprocess.run([command, "spec"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert '"type":"SPEC"' in spec.stdout.replace(" ", "")
    with Emulator(build("demo"), rate_limit=None) as emulator:
        config = tmp_path / "config.json"
        config.write_text(json.dumps(emulator.connector_config()))
        check = subprocess.run(
            [command, "check", "--config", str(config)], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120
        )
    statuses = [json.loads(line) for line in check.stdout.splitlines() if '"CONNECTION_STATUS"' in line]
    assert statuses == [{"type": "CONNECTION_STATUS", "connectionStatus": {"status": "SUCCEEDED"}}]
