"""Log volume in proportion to the work: airbyte-cdk's own bookkeeping lines go to DEBUG.

Per stream the CDK says "Marking stream X as STARTED/RUNNING/STOPPED", "Syncing stream: X", "Setting
state of ... to {the whole state}", "Read N records from X stream", "Finished syncing X" and then the
list of every stream's run time so far (so a sync of 200 sheets prints 200 ever longer lists); at
start-up it describes its memory monitor. This connector says per sheet what it read (INFO) and what
went wrong (WARN); the CDK's lines stay available with `--debug`.
"""

from __future__ import annotations

import logging
import re

CDK_BOOKKEEPING = re.compile(
    r"^(Marking stream \S+ as (STARTED|RUNNING|STOPPED)"
    r"|Syncing stream: \S+"
    r"|Setting state of \S+ stream to "
    r"|Read \d+ records from \S+ stream"
    r"|Finished syncing \S+"
    r"|\S+ runtimes:\n"
    r"|MemoryMonitor instantiated)"
)


class _ToDebug(logging.Filter):
    """On a logger: the CDK's bookkeeping lines, demoted to DEBUG (and dropped unless DEBUG is on)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.INFO or not CDK_BOOKKEEPING.match(record.getMessage()):
            return True
        if not logging.getLogger(record.name).isEnabledFor(logging.DEBUG):
            return False
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return True


def quiet_cdk_bookkeeping(*logger_names: str) -> None:
    """Install the filter on the loggers the CDK writes those lines to (once per logger)."""
    for name in logger_names:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, _ToDebug) for existing in logger.filters):
            logger.addFilter(_ToDebug())
