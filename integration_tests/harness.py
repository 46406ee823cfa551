"""Run the connector's commands against the emulator, the way the Airbyte platform does.

A test starts an emulator world in-process and writes a config (and catalog and state) to files. The
command then runs in this process (`run_in_process`: the same preflight, the same airbyte-cdk
entrypoint, the same replies to mistakes as `source_smartsheets.run`, without ~1.4 s of imports per run) or, for the
smoke tests that prove the installed command itself, as the real `source-smartsheets` console script in
a subprocess. Either way every Airbyte message is parsed into a `Run`.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import shutil
import subprocess
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import orjson
from airbyte_cdk.entrypoint import AirbyteEntrypoint
from airbyte_cdk.exception_handler import assemble_uncaught_exception  # what the excepthook of the CDK emits
from airbyte_cdk.logger import AirbyteLogFormatter
from airbyte_cdk.models.airbyte_protocol_serializers import AirbyteMessageSerializer
from airbyte_cdk.utils import AirbyteTracedException

from smartsheet_emulator import Emulator, World
from source_smartsheets import SourceSmartsheets
from source_smartsheets.run import preflight, reply_to_mistake
from source_smartsheets.streams.registry import RESERVED_NAMES

COMMAND_TIMEOUT = 300


def connector_command() -> list[str]:
    """The installed console script, next to this interpreter (as a venv or an image installs it)."""
    beside = Path(sys.executable).with_name("source-smartsheets")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("source-smartsheets")
    if found:
        return [found]
    raise RuntimeError("source-smartsheets is not installed; run `pip install -e .[tests]` first")


@dataclass
class Run:
    """What one command printed, parsed."""

    returncode: int
    stdout: str
    stderr: str
    messages: list[dict[str, Any]] = field(default_factory=list)

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [message for message in self.messages if message.get("type") == kind]

    def records(self, stream: str | None = None) -> list[dict[str, Any]]:
        return [
            message["record"]["data"]
            for message in self.of_type("RECORD")
            if stream is None or message["record"]["stream"] == stream
        ]

    def record_messages(self) -> list[dict[str, Any]]:
        return [message["record"] for message in self.of_type("RECORD")]

    def states(self) -> list[dict[str, Any]]:
        return [message["state"] for message in self.of_type("STATE")]

    def final_states(self) -> list[dict[str, Any]]:
        """The last state message of each stream, as a platform would pass them to the next sync."""
        last: dict[tuple[str, str | None], dict[str, Any]] = {}
        for state in self.states():
            descriptor = state["stream"]["stream_descriptor"]
            last[(descriptor["name"], descriptor.get("namespace"))] = state
        return list(last.values())

    def stream_state(self, stream: str) -> dict[str, Any]:
        for state in reversed(self.states()):
            if state["stream"]["stream_descriptor"]["name"] == stream:
                return dict(state["stream"]["stream_state"])
        raise KeyError(stream)

    def traces(self, trace_type: str = "ERROR") -> list[dict[str, Any]]:
        return [message["trace"] for message in self.of_type("TRACE") if message["trace"]["type"] == trace_type]

    def stream_statuses(self, stream: str) -> list[str]:
        return [
            trace["stream_status"]["status"]
            for trace in self.traces("STREAM_STATUS")
            if trace["stream_status"]["stream_descriptor"]["name"] == stream
        ]

    def logs(self, level: str | None = None) -> list[str]:
        return [message["log"]["message"] for message in self.of_type("LOG") if level is None or message["log"]["level"] == level]

    @property
    def connection_status(self) -> dict[str, Any]:
        return self.of_type("CONNECTION_STATUS")[0]["connectionStatus"]

    @property
    def catalog(self) -> dict[str, Any]:
        return self.of_type("CATALOG")[0]["catalog"]

    @property
    def spec(self) -> dict[str, Any]:
        return self.of_type("SPEC")[0]["spec"]


class _AirbyteLogs(logging.Handler):
    """The connector's log records as the LOG messages the command would print."""

    def __init__(self, buffer: io.StringIO, level: int) -> None:
        super().__init__(level)
        self.setFormatter(AirbyteLogFormatter())
        self._buffer = buffer

    def emit(self, record: logging.LogRecord) -> None:
        if record.name == "airbyte" or record.name.startswith("airbyte."):
            self._buffer.write(self.format(record) + "\n")


def run_in_process(args: list[str], source: SourceSmartsheets | None = None) -> Run:
    """One command, as `source-smartsheets` runs it (`source_smartsheets.run.run`), in this process.

    What the real command leaves to the CDK's excepthook (an error that is not a config mistake) is
    reported the same way: a FATAL log with the traceback, a system_error TRACE, exit code 1.
    """
    out = io.StringIO()
    airbyte_logger = logging.getLogger("airbyte")
    level_before = airbyte_logger.level  # --debug raises it for the rest of the process
    handler = _AirbyteLogs(out, logging.DEBUG if "--debug" in args else logging.INFO)
    logging.getLogger().addHandler(handler)
    try:
        with contextlib.redirect_stdout(out):  # what the connector prints itself (the OAuth CONTROL message)
            returncode = _command(args, out, source or SourceSmartsheets())
    finally:
        logging.getLogger().removeHandler(handler)
        airbyte_logger.setLevel(level_before)
    stdout = out.getvalue()
    return Run(returncode, stdout, "", parse_messages(stdout))


def _command(args: list[str], out: io.StringIO, source: SourceSmartsheets) -> int:
    command = args[0] if args else ""
    try:
        preflight(args)
        entrypoint = AirbyteEntrypoint(source)
        for line in entrypoint.run(entrypoint.parse_args(args)):
            out.write(line + "\n")
    except AirbyteTracedException as error:
        reply = reply_to_mistake(command, error)
        if reply is None:
            return _uncaught(out, error)
        message, returncode = reply
        out.write(orjson.dumps(AirbyteMessageSerializer.dump(message)).decode() + "\n")
        return returncode
    except Exception as error:  # noqa: BLE001 - the real command's excepthook takes every error
        return _uncaught(out, error)
    return 0


def _uncaught(out: io.StringIO, error: Exception) -> int:
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    out.write(json.dumps({"type": "LOG", "log": {"level": "FATAL", "message": text}}) + "\n")
    trace = assemble_uncaught_exception(type(error), error).as_airbyte_message()
    out.write(orjson.dumps(AirbyteMessageSerializer.dump(trace)).decode() + "\n")
    return 1


def parse_messages(stdout: str) -> list[dict[str, Any]]:
    messages = []
    for line in stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                messages.append(json.loads(line))
            except ValueError:
                continue
    return messages


SECRET_KEYS = ("access_token", "client_secret", "refresh_token")


def config_secrets(config: dict[str, Any] | None) -> list[str]:
    """The secrets a config holds (long enough to be told apart from ordinary words)."""
    credentials = (config or {}).get("credentials")
    if not isinstance(credentials, dict):
        return []
    return [
        value.strip()
        for key, value in credentials.items()
        if key in SECRET_KEYS and isinstance(value, str) and len(value.strip()) >= 6
    ]


def assert_no_secret(run: Run, secrets: list[str]) -> None:
    """No secret in stdout (CONNECTOR_CONFIG control messages aside: the protocol's channel for rotated
    OAuth tokens) nor in stderr."""
    printed = [line for line in run.stdout.splitlines() if '"type":"CONTROL"' not in line.replace(" ", "")]
    text = "\n".join(printed) + "\n" + run.stderr
    leaked = [secret[:3] + "..." for secret in secrets if secret in text]
    assert not leaked, f"secrets printed: {leaked}"


class Harness:
    """One emulator world and the files a connector command reads.

    Every command run through it is scanned for the secrets of its config (and any in
    `extra_secrets`): a secret in the output fails the test that ran the command.
    """

    def __init__(self, emulator: Emulator, workdir: Path, real_command: bool = False) -> None:
        self.emulator = emulator
        self.real_command = real_command  # run the installed console script in a subprocess
        # In-process runs: the clock and sleep the connector waits on (None: real time).
        self.waits: tuple[Callable[[], float], Callable[[float], None]] | None = None
        self.world: World = emulator.world
        self.workdir = workdir
        self.extra_secrets: list[str] = []
        self._count = 0

    @property
    def stats(self) -> Any:
        return self.emulator.stats

    def config(self, **overrides: Any) -> dict[str, Any]:
        """A config for this world: every workspace, the emulator's URL, tiny retry budgets, and no pacing
        (the emulator enforces no quota unless a test asks it to; tests of pacing set their own rate)."""
        config: dict[str, Any] = {**self.emulator.connector_config(), "max_retry_seconds": 20, "requests_per_minute": 100000}
        config.update(overrides)
        return {key: value for key, value in config.items() if value is not None}

    def _write(self, name: str, body: Any) -> str:
        self._count += 1
        path = self.workdir / f"{self._count:03d}-{name}.json"
        path.write_text(json.dumps(body))
        return str(path)

    def run(
        self,
        *args: str,
        config: dict[str, Any] | None = None,
        catalog: dict[str, Any] | None = None,
        state: list[dict[str, Any]] | None = None,
        env: dict[str, str] | None = None,
    ) -> Run:
        command = list(args)
        if config is not None:
            command += ["--config", self._write("config", config)]
        if catalog is not None:
            command += ["--catalog", self._write("catalog", catalog)]
        if state is not None:
            command += ["--state", self._write("state", state)]
        if self.real_command or env:
            run = _run_subprocess(command, env)
        else:
            # the connector's date is the world's: the recheck schedule runs on the clock the test moves
            run = run_in_process(command, SourceSmartsheets(*(self.waits or ()), now=self.world.clock.now))
        assert_no_secret(run, config_secrets(config) + self.extra_secrets + self._issued_tokens())
        return run

    def _issued_tokens(self) -> list[str]:
        """Tokens the emulator issued through OAuth refreshes: secrets too."""
        issued = [token for token in self.world.tokens if token.startswith("access-")]
        for client in self.world.oauth_clients.values():
            issued += [client.client_secret, *client.refresh_tokens]
        return issued

    # ----- the four commands ----------------------------------------------------------------
    def spec(self) -> Run:
        return self.run("spec")

    def check(self, config: dict[str, Any] | None = None) -> Run:
        return self.run("check", config=config or self.config())

    def discover(self, config: dict[str, Any] | None = None) -> Run:
        return self.run("discover", config=config or self.config())

    def read(
        self, catalog: dict[str, Any], config: dict[str, Any] | None = None, state: list[dict[str, Any]] | None = None
    ) -> Run:
        return self.run("read", config=config or self.config(), catalog=catalog, state=state)

    def catalog(
        self,
        sync_mode: str = "incremental",
        config: dict[str, Any] | None = None,
        streams: Iterable[str] | None = None,
        around_rows: bool = False,
        sheets_only: bool = False,
    ) -> dict[str, Any]:
        """Discover, then configure the sheet and report streams (or the named ones; `around_rows`: every stream;
        `sheets_only`: the sheets' own streams) the way the platform would."""
        run = self.discover(config)
        assert run.returncode == 0, run.stderr
        if sheets_only:
            kinds = ("Smartsheet sheet ", "Smartsheet sheets merged")
            sheets = [s for s in row_streams(run.catalog) if s["json_schema"]["description"].startswith(kinds)]
            streams = [stream["name"] for stream in sheets]
        return configured_catalog(run.catalog, sync_mode, streams, around_rows)


def _run_subprocess(args: list[str], env: dict[str, str] | None) -> Run:
    completed = subprocess.run(
        connector_command() + args,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
    )
    return Run(completed.returncode, completed.stdout, completed.stderr, parse_messages(completed.stdout))


def row_streams(catalog: dict[str, Any]) -> list[dict[str, Any]]:
    """The catalog's sheet and report streams (the streams around rows, cell history and the account left out)."""
    return [stream for stream in catalog["streams"] if stream["name"] not in RESERVED_NAMES or stream.get("namespace")]


def configured_catalog(
    catalog: dict[str, Any], sync_mode: str = "incremental", streams: Iterable[str] | None = None, around_rows: bool = False
) -> dict[str, Any]:
    wanted = set(streams) if streams is not None else None
    configured = []
    for stream in catalog["streams"]:
        if wanted is not None and stream["name"] not in wanted:
            continue
        if wanted is None and not around_rows and stream["name"] in RESERVED_NAMES and stream.get("namespace") is None:
            continue
        supported = stream.get("supported_sync_modes") or [sync_mode]
        mode = sync_mode if sync_mode in supported else supported[0]  # as the platform offers it
        configured.append(
            {
                "stream": stream,
                "sync_mode": mode,
                "destination_sync_mode": "append_dedup" if mode == "incremental" else "overwrite",
                "cursor_field": stream.get("default_cursor_field") or [],
                "primary_key": stream.get("source_defined_primary_key") or [],
            }
        )
    return {"streams": configured}


def read_until_killed(
    harness: Harness, catalog: dict[str, Any], config: dict[str, Any], state: list[dict[str, Any]], kill_after_states: int
) -> list[dict[str, Any]]:
    """Run `read` and kill it right after its n-th STATE message; return the messages seen."""
    files = [harness.workdir / name for name in ("kill-config.json", "kill-catalog.json", "kill-state.json")]
    for path, body in zip(files, (config, catalog, state), strict=True):
        path.write_text(json.dumps(body))
    command = connector_command() + ["read", "--config", str(files[0]), "--catalog", str(files[1]), "--state", str(files[2])]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines: list[str] = []
    seen_states = 0
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line)
        if '"type":"STATE"' in line.replace(" ", ""):
            seen_states += 1
            if seen_states == kill_after_states:
                process.kill()
                break
    process.wait(timeout=60)
    return parse_messages("".join(lines))


def killed_then_resumed(
    harness: Harness,
    catalog: dict[str, Any],
    config: dict[str, Any],
    states: list[dict[str, Any]],
    kill_after: int,
    id_field: str,
) -> tuple[set[Any], set[Any]]:
    """Kill a one-stream read right after its n-th state message, then resume from the last state it emitted:
    the `id_field` values each of the two runs sent."""
    messages = read_until_killed(harness, catalog, config, states, kill_after)
    delivered = {m["record"]["data"][id_field] for m in messages if m["type"] == "RECORD"}
    saved = [m["state"] for m in messages if m["type"] == "STATE"][-1:] or states
    resumed = harness.read(catalog, config=config, state=saved)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    return delivered, {record[id_field] for record in resumed.records()}
