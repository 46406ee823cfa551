"""The connector's `spec`, generated from the configuration model in the form the Airbyte UI reads.

pydantic's JSON schema is turned into Airbyte's conventions: references inlined, optional fields as
plain types (no `anyOf` with null), the credentials as a `oneOf` whose options carry a `const`
`auth_type`, and `advanced_auth` so that Airbyte runs the OAuth flow and fills the credentials.
`spec.json` beside this module is this output, committed for review (`make spec` regenerates it).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .config import SmartsheetConfig

DOCUMENTATION_URL = "https://github.com/source-smartsheets/source-smartsheets#readme"
SPEC_FILE = Path(__file__).with_name("spec.json")
DROPPED_KEYS = ("discriminator",)

# Airbyte's OAuth button for a connector that is not one of Airbyte's own runs Declarative OAuth: the platform
# renders the consent URL, exchanges the code at the token URL with the client's own id and secret (entered in
# Airbyte), and writes what it extracts into the config at these paths. Smartsheet's flow (docs/smartsheet-api.md
# "OAuth"): consent at app.smartsheet.com/b/authorize; `POST /2.0/token` takes the secret in plain text as
# `client_secret` (the alternative to `hash`) and answers access_token, refresh_token and expires_in. The expiry
# date is not in the answer, so token_expiry_date stays optional: an expired token is refreshed on its 401.
# EU and Gov accounts have their own hosts, which one template cannot choose by region: the button serves US
# accounts, and others use an API access token (README, "Running it in Airbyte").
OAUTH_SCOPES = "READ_SHEETS READ_USERS"  # sheets, reports, workspaces and what is around rows; the token's own user
OAUTH_CONSENT_URL = (
    "https://app.smartsheet.com/b/authorize?response_type=code&client_id={{client_id_value}}"
    "&scope={{ {{scope_value}} | urlEncoder }}&state={{state_value}}&redirect_uri={{ {{redirect_uri_value}} | urlEncoder }}"
)
OAUTH_TOKEN_URL = "https://api.smartsheet.com/2.0/token"
OAUTH_CONNECTOR_INPUT = {
    "consent_url": OAUTH_CONSENT_URL,
    "scope": OAUTH_SCOPES,
    "access_token_url": OAUTH_TOKEN_URL,
    "access_token_headers": {"Content-Type": "application/x-www-form-urlencoded"},
    "access_token_params": {
        "grant_type": "authorization_code",
        "code": "{{auth_code_value}}",
        "client_id": "{{client_id_value}}",
        "client_secret": "{{client_secret_value}}",
        "redirect_uri": "{{redirect_uri_value}}",
    },
    "extract_output": ["access_token", "refresh_token"],
}
OAUTH_OUTPUT = {
    key: {"type": "string", "path_in_connector_config": ["credentials", key], "path_in_oauth_response": [key]}
    for key in ("access_token", "refresh_token")
}
ADVANCED_AUTH = {
    "auth_flow_type": "oauth2.0",
    "predicate_key": ["credentials", "auth_type"],
    "predicate_value": "oauth2.0",
    "oauth_config_specification": {
        "oauth_connector_input_specification": OAUTH_CONNECTOR_INPUT,
        "complete_oauth_output_specification": {"type": "object", "additionalProperties": False, "properties": OAUTH_OUTPUT},
        "complete_oauth_server_input_specification": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"client_id": {"type": "string"}, "client_secret": {"type": "string"}},
        },
        "complete_oauth_server_output_specification": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                key: {"type": "string", "path_in_connector_config": ["credentials", key]}
                for key in ("client_id", "client_secret")
            },
        },
    },
}


def build_spec() -> dict[str, Any]:
    """The whole `spec` answer: documentation URL, connection specification, advanced auth."""
    return {
        "documentationUrl": DOCUMENTATION_URL,
        "connectionSpecification": connection_specification(),
        "advanced_auth": ADVANCED_AUTH,
    }


def connection_specification() -> dict[str, Any]:
    raw = SmartsheetConfig.model_json_schema(mode="validation")
    definitions = raw.pop("$defs", {})
    schema = _airbyte_form(raw, definitions)
    schema.pop("description", None)  # the model's docstring, not a UI text
    return {"$schema": "http://json-schema.org/draft-07/schema#", **schema, "additionalProperties": True}


def _airbyte_form(node: Any, definitions: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_airbyte_form(item, definitions) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target = definitions[node["$ref"].rsplit("/", 1)[-1]]
        extra = {key: value for key, value in node.items() if key != "$ref"}
        return _airbyte_form({**target, **extra}, definitions)
    node = {key: value for key, value in node.items() if key not in DROPPED_KEYS}
    if "default" in node and node["default"] is None:
        del node["default"]  # "no value" is what an absent key says already
    options = node.pop("anyOf", None)
    if options is not None:
        kept = [option for option in options if option != {"type": "null"}]
        if len(kept) == 1:  # an optional field: its one real type, nothing else
            node = {**kept[0], **node}
        else:
            node["oneOf"] = kept
    if node.get("type") == "object" and "properties" in node:
        node.setdefault("additionalProperties", True)
    return {key: _airbyte_form(value, definitions) for key, value in node.items()}


def config_table() -> str:
    """The README's configuration table, from the same model: key, required, default, meaning."""
    schema = connection_specification()
    required = set(schema.get("required", ()))
    lines = ["| key | required | default | meaning |", "|---|---|---|---|"]
    for key, field in sorted(schema["properties"].items(), key=lambda item: item[1].get("order", 99)):
        default = field.get("default")
        shown = "" if default in (None, [], ()) else f"`{json.dumps(default)}`"
        meaning = field.get("description") or field.get("title", "")
        if field.get("airbyte_hidden"):
            meaning += " *(hidden in the UI)*"
        lines.append(f"| `{key}` | {'yes' if key in required else 'no'} | {shown} | {meaning} |")
    return "\n".join(lines) + "\n"


README_START = "<!-- config-table: generated by `make spec` from source_smartsheets/config.py -->\n"
README_END = "<!-- end of config-table -->\n"


def readme_with_table(readme: str) -> str:
    """The README with its configuration table replaced by the generated one."""
    head, start, rest = readme.partition(README_START)
    _, end, tail = rest.partition(README_END)
    if not start or not end:
        raise ValueError("the README has no config-table markers")
    return head + README_START + config_table() + README_END + tail


def write_spec_file(readme: Path = Path(__file__).parents[1] / "README.md") -> None:
    """`make spec`: regenerate the committed `spec.json` and the README's configuration table."""
    SPEC_FILE.write_text(json.dumps(build_spec(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if readme.exists():
        readme.write_text(readme_with_table(readme.read_text(encoding="utf-8")), encoding="utf-8")
