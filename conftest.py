"""Root pytest configuration: airbyte-cdk's standard-test hooks (scenario parametrization, options)."""

pytest_plugins = ["airbyte_cdk.test.standard_tests.pytest_hooks"]
