"""airbyte-cdk's standard source test suite, from acceptance-test-config.yml, against the emulator.

Its image tests need a Docker engine and are deselected (`-m "not image_tests"` in pyproject.toml);
tests/test_image_install.py installs the package as the Dockerfile does instead.
"""

from __future__ import annotations

from airbyte_cdk.test.standard_tests import SourceTestSuiteBase

from source_smartsheets import SourceSmartsheets


class TestStandardSourceSuite(SourceTestSuiteBase):
    connector = SourceSmartsheets
