"""Airbyte's OAuth button, as the platform runs it for a connector that is not one of its own: the spec's Declarative
OAuth block is rendered (consent URL, token request) the way the platform renders it, the token request is answered
by the emulator as Smartsheet's `POST /2.0/token` answers, and the outputs are written into the config at the paths
the spec names. The config that comes out of it passes `check`."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from airbyte_cdk.models import ConnectorSpecificationSerializer

from smartsheet_emulator.api import Api, Request
from smartsheet_emulator.world import OAuthClient
from source_smartsheets.config import parse_config
from source_smartsheets.spec import build_spec

CLIENT_ID, CLIENT_SECRET = "app-client-51c0", "app-secret-77d1"
REDIRECT = "https://airbyte.example.com/auth_flow"


def render(template: str, values: dict[str, str]) -> str:
    """The platform's template language, as much of it as the spec uses: `{{name_value}}` and
    `{{ {{name_value}} | urlEncoder }}`."""
    encoded = re.sub(r"\{\{ \{\{(\w+)\}\} \| urlEncoder \}\}", lambda found: quote(values[found[1]], safe=""), template)
    return re.sub(r"\{\{(\w+)\}\}", lambda found: values[found[1]], encoded)


def _oauth_block() -> dict[str, Any]:
    spec = ConnectorSpecificationSerializer.dump(ConnectorSpecificationSerializer.load(build_spec()))  # the CDK keeps it
    return spec["advanced_auth"]["oauth_config_specification"]


def test_the_consent_url_renders_to_smartsheets_authorize_page_with_every_parameter() -> None:
    block = _oauth_block()["oauth_connector_input_specification"]
    values = {"client_id_value": CLIENT_ID, "scope_value": block["scope"], "state_value": "st4te", "redirect_uri_value": REDIRECT}
    url = urlsplit(render(block["consent_url"], values))
    assert (url.scheme, url.netloc, url.path) == ("https", "app.smartsheet.com", "/b/authorize")
    assert parse_qs(url.query) == {
        "response_type": ["code"],
        "client_id": [CLIENT_ID],
        "scope": ["READ_SHEETS READ_USERS"],
        "state": ["st4te"],
        "redirect_uri": [REDIRECT],
    }


def test_given_a_consent_when_the_platform_exchanges_the_code_then_the_config_it_writes_passes_check(demo) -> None:
    world = demo.world
    world.oauth_clients[CLIENT_ID] = OAuthClient(CLIENT_ID, CLIENT_SECRET)
    world.oauth_clients[CLIENT_ID].auth_codes["code-from-consent"] = world.owner
    oauth = _oauth_block()
    block = oauth["oauth_connector_input_specification"]
    values = {
        "auth_code_value": "code-from-consent",
        "client_id_value": CLIENT_ID,
        "client_secret_value": CLIENT_SECRET,
        "redirect_uri_value": REDIRECT,
    }
    assert urlsplit(block["access_token_url"]).path == "/2.0/token"
    params = {render(key, values): render(value, values) for key, value in block["access_token_params"].items()}
    assert block["access_token_headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    answer = Api(world).handle(Request("POST", "/token", body=urlencode(params).encode()))
    assert answer.status == 200, answer.body
    extracted = {key: answer.body[key] for key in block["extract_output"]}

    # The platform writes the server's inputs and the extracted outputs where the spec says.
    config = demo.config()
    config["credentials"] = {"auth_type": "oauth2.0"}
    server = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    for key, where in oauth["complete_oauth_server_output_specification"]["properties"].items():
        config["credentials"][where["path_in_connector_config"][-1]] = server[key]
    for where in oauth["complete_oauth_output_specification"]["properties"].values():
        config["credentials"][where["path_in_connector_config"][-1]] = extracted[where["path_in_oauth_response"][0]]

    assert "token_expiry_date" not in config["credentials"]  # the flow gives expires_in only
    assert parse_config(config).credentials.auth_type == "oauth2.0"
    assert demo.check(config).connection_status == {"status": "SUCCEEDED"}
    again = Api(world).handle(Request("POST", "/token", body=urlencode(params).encode()))
    assert again.status == 400  # a code is good for one exchange
