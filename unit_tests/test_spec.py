"""`spec` is generated from the configuration model, in the form the Airbyte UI and the CDK expect."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from airbyte_cdk.models import ConnectorSpecificationSerializer
from airbyte_cdk.sources.utils.schema_helpers import check_config_against_spec_or_exit
from airbyte_cdk.utils import AirbyteTracedException

from source_smartsheets import SourceSmartsheets
from source_smartsheets.config import parse_config
from source_smartsheets.spec import SPEC_FILE, build_spec, readme_with_table

ROOT = Path(__file__).resolve().parents[1]


def _walk(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, list):
        return [found for item in node for found in _walk(item)]
    if isinstance(node, dict):
        return [node] + [found for value in node.values() for found in _walk(value)]
    return []


def test_generated_spec_equals_the_committed_spec_json() -> None:
    assert json.loads(SPEC_FILE.read_text(encoding="utf-8")) == build_spec(), "run `make spec` and review the diff"


def test_readme_configuration_table_is_the_generated_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_with_table(readme) == readme, "run `make spec` to regenerate the README's configuration table"


def test_spec_command_answers_the_generated_spec() -> None:
    spec = SourceSmartsheets().spec(logging.getLogger("test"))
    assert ConnectorSpecificationSerializer.dump(spec) == ConnectorSpecificationSerializer.dump(
        ConnectorSpecificationSerializer.load(build_spec())
    )


def test_spec_follows_the_airbyte_form_conventions() -> None:
    schema = build_spec()["connectionSpecification"]
    jsonschema.Draft7Validator.check_schema(schema)
    nodes = _walk(schema)
    assert not [node for node in nodes if "$ref" in node or "anyOf" in node or "$defs" in node]
    properties = schema["properties"]
    assert [p["order"] for p in properties.values()] == list(range(len(properties)))
    methods = properties["credentials"]["oneOf"]
    assert [m["properties"]["auth_type"]["const"] for m in methods] == ["access_token", "oauth2.0"]
    secrets = {key for method in methods for key, field in method["properties"].items() if field.get("airbyte_secret")}
    assert secrets == {"access_token", "client_id", "client_secret", "refresh_token"}
    assert properties["api_base_url"]["pattern"] and properties["start_datetime"]["examples"]
    assert properties["page_size"]["minimum"] == 1 and properties["page_size"]["maximum"] == 10000


def test_advanced_auth_lets_airbyte_run_the_oauth_flow_into_the_credentials() -> None:
    spec = build_spec()
    auth = spec["advanced_auth"]
    assert (auth["auth_flow_type"], auth["predicate_key"], auth["predicate_value"]) == (
        "oauth2.0",
        ["credentials", "auth_type"],
        "oauth2.0",
    )
    oauth_fields = spec["connectionSpecification"]["properties"]["credentials"]["oneOf"][1]["properties"]
    outputs = auth["oauth_config_specification"]["complete_oauth_output_specification"]["properties"]
    server = auth["oauth_config_specification"]["complete_oauth_server_output_specification"]["properties"]
    for field in {**outputs, **server}.values():
        path = field["path_in_connector_config"]
        assert path[0] == "credentials" and path[1] in oauth_fields  # every path lands on a field of the form
    # every required field of the OAuth form is filled by the flow; token_expiry_date is not in Smartsheet's answer
    required = set(spec["connectionSpecification"]["properties"]["credentials"]["oneOf"][1]["required"])
    assert set(outputs) | set(server) == required - {"auth_type"} == set(oauth_fields) - {"auth_type", "token_expiry_date"}
    ConnectorSpecificationSerializer.load(spec)  # the protocol model accepts it


OFFICIAL_CONFIGS = [
    {
        "credentials": {"auth_type": "access_token", "access_token": "tok-123456"},
        "spreadsheet_id": "4583173393803140",
        "start_datetime": "2020-01-01T00:00:00+00:00",
        "metadata_fields": ["sheetcreatedAt", "row_id"],
        "is_report": False,
    },
    {
        "credentials": {
            "auth_type": "oauth2.0",
            "client_id": "cid-123",
            "client_secret": "secret-123",
            "access_token": "tok-123456",
            "refresh_token": "refresh-123",
            "token_expiry_date": "2026-12-01T00:00:00+00:00",
        },
        "spreadsheet_id": "4583173393803140",
        "is_report": True,
    },
]


@pytest.mark.parametrize("config", OFFICIAL_CONFIGS, ids=["access-token", "oauth-report"])
def test_given_official_connector_config_then_spec_and_model_accept_it(config: dict[str, Any]) -> None:
    spec = ConnectorSpecificationSerializer.load(build_spec())
    check_config_against_spec_or_exit(config, spec)  # what the CDK checks before every command
    parsed = parse_config(config)
    assert (parsed.sheet_ids or parsed.report_ids) == (4583173393803140,)


def test_given_config_the_spec_rejects_then_cdk_check_fails() -> None:
    spec = ConnectorSpecificationSerializer.load(build_spec())
    with pytest.raises(AirbyteTracedException):
        check_config_against_spec_or_exit({"sheet_ids": ["1"]}, spec)
