"""What the SCIM service provider publishes about itself (RFC 7643 §5–7): exactly
the attributes Onramp keeps, so that identity providers and checkers send nothing it
would silently drop."""

from __future__ import annotations

from typing import Any

from django.conf import settings

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ONRAMP_USER = "urn:onramp:params:scim:schemas:extension:onramp:2.0:User"
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
SEARCH_REQUEST = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
SPC_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"

# Time zones offered as examples to identity providers (any IANA zone is accepted).
EXAMPLE_TIME_ZONES = [
    "UTC",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Asia/Tokyo",
]


def _attribute(
    name: str,
    type_: str = "string",
    *,
    required: bool = False,
    mutability: str = "readWrite",
    multi_valued: bool = False,
    uniqueness: str = "none",
    case_exact: bool = False,
    description: str = "",
    sub_attributes: list[dict[str, Any]] | None = None,
    canonical_values: list[str] | None = None,
    reference_types: list[str] | None = None,
    returned: str = "default",
) -> dict[str, Any]:
    attribute: dict[str, Any] = {
        "name": name,
        "type": type_,
        "multiValued": multi_valued,
        "description": description or name,
        "required": required,
        "caseExact": case_exact,
        "mutability": mutability,
        "returned": returned,
        "uniqueness": uniqueness,
    }
    if sub_attributes is not None:
        attribute["subAttributes"] = sub_attributes
    if canonical_values is not None:
        attribute["canonicalValues"] = canonical_values
    if reference_types is not None:
        attribute["referenceTypes"] = reference_types
    return attribute


def user_schema() -> dict[str, Any]:
    return {
        "id": USER_SCHEMA,
        "name": "User",
        "description": "A person in Onramp. userName is the e-mail address.",
        "attributes": [
            _attribute(
                "userName",
                required=True,
                uniqueness="server",
                description="The person's e-mail address (their sign-in).",
            ),
            _attribute(
                "name",
                "complex",
                description="The person's name; Onramp shows given and family name.",
                sub_attributes=[
                    _attribute("givenName"),
                    _attribute("familyName"),
                ],
            ),
            _attribute("displayName", mutability="readOnly"),
            _attribute(
                "active",
                "boolean",
                required=True,
                description="False: deactivated (sessions and API tokens end).",
            ),
            _attribute(
                "emails",
                "complex",
                multi_valued=True,
                required=True,
                description="The e-mail address (used when userName is not one).",
                sub_attributes=[
                    _attribute("value", required=True),
                ],
            ),
        ],
        "meta": {"resourceType": "Schema", "location": _url(f"Schemas/{USER_SCHEMA}")},
        "schemas": [SCHEMA_SCHEMA],
    }


def onramp_user_schema(team_names: list[str]) -> dict[str, Any]:
    return {
        "id": ONRAMP_USER,
        "name": "OnrampUser",
        "description": "What onboarding needs: start date, time zone and team.",
        "attributes": [
            _attribute(
                "startDate",
                description="Hire date, YYYY-MM-DD: onboarding is due from it.",
                canonical_values=["2026-01-05", "2026-03-02", "2026-09-01"],
            ),
            _attribute(
                "timeZone",
                description="An IANA time zone, e.g. Europe/Berlin.",
                canonical_values=EXAMPLE_TIME_ZONES,
            ),
            _attribute(
                "team",
                description="The name of the person's team (Groups set it too).",
                canonical_values=team_names,
            ),
        ],
        "meta": {
            "resourceType": "Schema",
            "location": _url(f"Schemas/{ONRAMP_USER}"),
        },
        "schemas": [SCHEMA_SCHEMA],
    }


def group_schema() -> dict[str, Any]:
    return {
        "id": GROUP_SCHEMA,
        "name": "Group",
        "description": "A team of Onramp. Its members are the team's reps.",
        "attributes": [
            _attribute(
                "displayName",
                required=True,
                uniqueness="server",
                description="The team's name.",
            ),
            _attribute(
                "members",
                "complex",
                multi_valued=True,
                description="The team's members (a person is in one team at a time).",
                sub_attributes=[
                    _attribute("value", mutability="immutable"),
                    _attribute(
                        "$ref",
                        "reference",
                        mutability="immutable",
                        reference_types=["User"],
                    ),
                ],
            ),
        ],
        "meta": {
            "resourceType": "Schema",
            "location": _url(f"Schemas/{GROUP_SCHEMA}"),
        },
        "schemas": [SCHEMA_SCHEMA],
    }


def all_schemas(team_names: list[str]) -> list[dict[str, Any]]:
    return [user_schema(), onramp_user_schema(team_names), group_schema()]


def resource_types() -> list[dict[str, Any]]:
    return [
        {
            "schemas": [RESOURCE_TYPE_SCHEMA],
            "id": "User",
            "name": "User",
            "endpoint": "/Users",
            "description": "People",
            "schema": USER_SCHEMA,
            "schemaExtensions": [{"schema": ONRAMP_USER, "required": False}],
            "meta": {
                "resourceType": "ResourceType",
                "location": _url("ResourceTypes/User"),
            },
        },
        {
            "schemas": [RESOURCE_TYPE_SCHEMA],
            "id": "Group",
            "name": "Group",
            "endpoint": "/Groups",
            "description": "Teams",
            "schema": GROUP_SCHEMA,
            "schemaExtensions": [],
            "meta": {
                "resourceType": "ResourceType",
                "location": _url("ResourceTypes/Group"),
            },
        },
    ]


MAX_RESULTS = 500


def service_provider_config() -> dict[str, Any]:
    return {
        "schemas": [SPC_SCHEMA],
        "documentationUri": settings.SITE_URL + "/api/v1/docs/",
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": True},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "An Onramp service token with the scim scope.",
                "primary": True,
            }
        ],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": _url("ServiceProviderConfig"),
        },
    }


def _url(path: str) -> str:
    return f"{settings.SITE_URL}/scim/v2/{path}"


def location(path: str) -> str:
    return _url(path)
