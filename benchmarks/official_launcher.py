"""Run the official connector (airbyte-source-smartsheets) against the emulator.

It has no base-URL setting, so this launcher gives the SDK's client the emulator's URL (from
SMARTSHEET_API_BASE) before the connector creates it; nothing else of the connector is touched.
Runs inside the official connector's own virtual environment.
"""

from __future__ import annotations

import os

import smartsheet

_original_init = smartsheet.Smartsheet.__init__


def _init_with_emulator(self, *args, **kwargs):  # type: ignore[no-untyped-def]
    kwargs["api_base"] = os.environ["SMARTSHEET_API_BASE"]
    _original_init(self, *args, **kwargs)


smartsheet.Smartsheet.__init__ = _init_with_emulator  # type: ignore[method-assign]

if __name__ == "__main__":
    from source_smartsheets.run import run

    run()
