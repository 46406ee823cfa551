"""Packaging for the Smartsheet source; the distribution name is ours, the import package `source_smartsheets`."""

import re
from pathlib import Path

from setuptools import find_packages, setup

VERSION = re.search(r'VERSION = "([^"]+)"', Path(__file__).with_name("source_smartsheets").joinpath("version.py").read_text())[1]

MAIN_REQUIREMENTS = [
    "airbyte-cdk>=7.28,<8",
    "smartsheet-python-sdk>=4.4,<5",
    "pendulum>=3,<4",
    "pydantic>=2,<3",
    "orjson>=3.9",
    "requests>=2.31",
    "anyascii>=0.3.2",  # ISC: transliteration for the naming rule (never Unidecode, which is GPL)
]

TEST_REQUIREMENTS = [
    "pytest>=8",
    "pytest-xdist>=3.6",  # the suite on both cores
    "freezegun>=1.5",
    "requests-mock>=1.12",
    "jsonschema>=4",
    "ruff>=0.6",
    "mypy>=1.10",
    "pip-tools>=7.4",  # `make lock`
]

LOCAL_REQUIREMENTS = [
    "airbyte>=0.71,<0.72",  # PyAirbyte, for the one-command local sync into DuckDB
]

setup(
    name="smartsheets-multisheet-source",
    version=VERSION,
    description="Airbyte source for Smartsheet: many sheets per connection, typed values, incremental reads.",
    author="source-smartsheets developers",
    license="MIT",
    python_requires=">=3.10",
    packages=find_packages(
        include=["source_smartsheets", "source_smartsheets.*", "smartsheet_emulator", "smartsheet_emulator.*", "local_sync"]
    ),
    install_requires=MAIN_REQUIREMENTS,
    extras_require={"tests": TEST_REQUIREMENTS, "local": LOCAL_REQUIREMENTS},
    entry_points={
        "console_scripts": [
            "source-smartsheets=source_smartsheets.run:run",
            "smartsheet-emulator=smartsheet_emulator.__main__:main",
        ]
    },
)
