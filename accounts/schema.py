"""How the OpenAPI schema names the API's authentication (loaded in AccountsConfig.ready)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token from /accounts/tokens/ or POST /api/tokens/.",
        }


class LockoutBasicScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.LockoutBasicAuthentication"
    name = "basicAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "basic",
            "description": "Only when the server sets KOFU_API_BASIC_AUTH.",
        }
