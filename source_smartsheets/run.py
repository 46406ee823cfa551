"""The `source-smartsheets` command: airbyte-cdk's entrypoint, with config mistakes answered cleanly.

Before the CDK runs, the config (and the catalog and state files) are read and checked here, so
every mistake gets this connector's own message: `check` answers CONNECTION_STATUS FAILED, the other
commands one config_error TRACE, and neither prints a traceback. Errors that are not the user's keep
the CDK's full report.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import orjson
from airbyte_cdk.entrypoint import launch
from airbyte_cdk.models import (
    AirbyteConnectionStatus,
    AirbyteErrorTraceMessage,
    AirbyteMessage,
    AirbyteTraceMessage,
    FailureType,
    Status,
    TraceType,
    Type,
)
from airbyte_cdk.models.airbyte_protocol_serializers import AirbyteMessageSerializer
from airbyte_cdk.utils import AirbyteTracedException
from airbyte_cdk.utils.airbyte_secrets_utils import filter_secrets

from .config import ConfigError, parse_config
from .source import SourceSmartsheets

FILE_FLAGS = {"--config": "config", "--catalog": "catalog", "--state": "state"}
CHECKED_COMMANDS = ("check", "discover", "read")  # the commands that take files (spec takes none)


USAGE = (
    "usage: source-smartsheets {spec,check,discover,read} [--config CONFIG] [--catalog CATALOG] [--state STATE]\n"
    "An Airbyte source: spec prints the configuration's schema; check, discover and read take --config (read also "
    "--catalog, and --state for an incremental sync)."
)


def run(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    command = args[0] if args else ""
    if not args or command in ("-h", "--help", "help"):  # a usage line, as a command line gives: not the CDK's traceback
        print(USAGE, file=sys.stdout if args else sys.stderr)
        sys.exit(0 if args else 2)
    try:
        preflight(args)
        launch(SourceSmartsheets(), args)
    except AirbyteTracedException as error:
        reply = reply_to_mistake(command, error)
        if reply is None:
            raise
        message, exit_code = reply
        _print(message)
        if exit_code:
            sys.exit(exit_code)


def preflight(args: list[str]) -> None:
    """For check, discover and read: read the files the command names and check the config. Raises ConfigError."""
    if not args or args[0] not in CHECKED_COMMANDS:
        return
    files: dict[str, Any] = {}
    for flag, name in FILE_FLAGS.items():
        if flag in args:
            index = args.index(flag)
            if index + 1 >= len(args):
                raise ConfigError(f"{flag} needs a file path.")
            files[name] = _read_json(args[index + 1], name)
    if "config" in files:
        parse_config(files["config"])
    catalog = files.get("catalog")
    if catalog is not None and not (isinstance(catalog, dict) and isinstance(catalog.get("streams"), list)):
        raise ConfigError("The catalog must be a JSON object with a list of streams (a configured catalog).")
    state = files.get("state")
    if state is not None and not isinstance(state, (list, dict)):
        raise ConfigError("The state must be a JSON list of state messages.")


def _read_json(path: str, name: str) -> Any:
    file = Path(path)
    if not file.is_file():
        raise ConfigError(f"The {name} file {path} does not exist.")
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise ConfigError(f"The {name} file {path} is not valid JSON ({error}).") from None


def reply_to_mistake(command: str, error: AirbyteTracedException) -> tuple[AirbyteMessage, int] | None:
    """What a command says for a config mistake (or a service that stayed down), as the platform expects it:
    the message and the exit code; no traceback, no secret. None for any other error, which keeps the CDK's
    full report."""
    if error.failure_type not in (FailureType.config_error, FailureType.transient_error):
        return None
    message = filter_secrets(error.message or str(error))
    if command == "check":
        status = AirbyteConnectionStatus(status=Status.FAILED, message=message)
        return AirbyteMessage(type=Type.CONNECTION_STATUS, connectionStatus=status), 0
    trace = AirbyteTraceMessage(
        type=TraceType.ERROR,
        emitted_at=_now_ms(),
        error=AirbyteErrorTraceMessage(message=message, internal_message=message, failure_type=error.failure_type),
    )
    return AirbyteMessage(type=Type.TRACE, trace=trace), 1


def _print(message: AirbyteMessage) -> None:
    sys.stdout.write(orjson.dumps(AirbyteMessageSerializer.dump(message)).decode() + "\n")
    sys.stdout.flush()


def _now_ms() -> float:
    import time

    return time.time() * 1000


if __name__ == "__main__":
    run()
