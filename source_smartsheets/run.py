"""The `source-smartsheets` command."""

from __future__ import annotations

import sys

from airbyte_cdk.entrypoint import launch

from .source import SourceSmartsheets


def run() -> None:
    launch(SourceSmartsheets(), sys.argv[1:])


if __name__ == "__main__":
    run()
