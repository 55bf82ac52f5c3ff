"""SCIM 2.0 endpoints (RFC 7644) under /scim/v2/, for tokens with the `scim` scope.

Plain Django views: SCIM has its own media type, error format and paging, which the
REST API's machinery would only get in the way of.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from integrations import scopes
from integrations.models import ApiToken
from integrations.scim import schemas
from integrations.scim.paths import (
    ScimError,
    apply_patch,
    is_id,
    matches,
    parse_filter,
    select_attributes,
)
from integrations.scim.services import (
    etag_of,
    group_resource,
    scim_group_create,
    scim_group_delete,
    scim_group_replace,
    scim_teams,
    scim_user_create,
    scim_user_delete,
    scim_user_replace,
    scim_users,
    user_resource,
)
from integrations.tokens import api_token_authenticate
from lms.accounts.models import Team, User

CONTENT_TYPE = "application/scim+json"
MAX_BODY_BYTES = 1024 * 1024

View = Callable[..., HttpResponse]


def _json(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data), status=status, content_type=CONTENT_TYPE, headers=headers
    )
    return response


def _error(error: ScimError) -> HttpResponse:
    body: dict[str, Any] = {
        "schemas": [schemas.ERROR],
        "status": str(error.status),
        "detail": error.detail,
    }
    if error.scim_type:
        body["scimType"] = error.scim_type
    headers = (
        {"WWW-Authenticate": 'Bearer realm="scim"'} if error.status == 401 else None
    )
    return _json(body, error.status, headers)


def scim_view(methods: tuple[str, ...]) -> Callable[[View], View]:
    """Bearer token with the `scim` scope, allowed methods, SCIM errors."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
                token = (
                    api_token_authenticate(raw.strip())
                    if scheme.lower() == "bearer"
                    else None
                )
                if token is None:
                    raise ScimError(401, "A valid bearer token is needed.")
                if (
                    scopes.SCIM not in token.scopes
                    or token.kind != ApiToken.Kind.SERVICE
                ):
                    raise ScimError(403, "This token lacks the scim scope.")
                if request.method not in methods:
                    raise ScimError(405, f"{request.method} is not allowed here.")
                return view(request, *args, **kwargs)
            except ScimError as error:
                return _error(error)

        return wrapped

    return decorate


def _body(request: HttpRequest) -> Any:
    if len(request.body) > MAX_BODY_BYTES:
        raise ScimError(413, "The request body is too large.")
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ScimError(400, "The body is not JSON.", "invalidSyntax") from None


def _names(raw: str | None) -> list[str]:
    return [name.strip() for name in (raw or "").split(",") if name.strip()]


Selection = tuple[list[str], list[str]]


def _selection(request: HttpRequest) -> Selection:
    """`attributes` and `excludedAttributes` of the query (RFC 7644 §3.9)."""
    return (
        _names(request.GET.get("attributes")),
        _names(request.GET.get("excludedAttributes")),
    )


def _present(
    request: HttpRequest, resource: dict[str, Any], selection: Selection | None = None
) -> dict[str, Any]:
    attributes, excluded = selection or _selection(request)
    return select_attributes(resource, attributes=attributes, excluded=excluded)


def _page(
    request: HttpRequest,
    resources: list[dict[str, Any]],
    total: int,
    start: int,
    selection: Selection | None = None,
) -> HttpResponse:
    return _json(
        {
            "schemas": [schemas.LIST_RESPONSE],
            "totalResults": total,
            "startIndex": start,
            "itemsPerPage": len(resources),
            "Resources": [
                _present(request, resource, selection) for resource in resources
            ],
        }
    )


def _paging(request: HttpRequest) -> tuple[int, int]:
    try:
        start = max(1, int(request.GET.get("startIndex", "1")))
        count = min(max(0, int(request.GET.get("count", "100"))), schemas.MAX_RESULTS)
    except ValueError:
        raise ScimError(
            400, "startIndex and count must be numbers.", "invalidValue"
        ) from None
    return start, count


def _check_etag(request: HttpRequest, resource: dict[str, Any]) -> None:
    wanted = request.headers.get("If-Match")
    if wanted and wanted.strip() not in ("*", etag_of(resource)):
        raise ScimError(412, "The resource has changed since this version.")


def _respond(
    request: HttpRequest, resource: dict[str, Any], status: int = 200
) -> HttpResponse:
    etag = resource["meta"]["version"]
    if (
        status == 200
        and request.method == "GET"
        and request.headers.get("If-None-Match") == etag
    ):
        return HttpResponse(status=304, headers={"ETag": etag})
    headers = {"ETag": etag, "Location": resource["meta"]["location"]}
    return _json(_present(request, resource), status, headers)


# Discovery.


@scim_view(("GET",))
def service_provider_config(request: HttpRequest) -> HttpResponse:
    return _json(schemas.service_provider_config())


@scim_view(("GET",))
def resource_types(request: HttpRequest, name: str | None = None) -> HttpResponse:
    types = schemas.resource_types()
    if name is not None:
        found = [t for t in types if t["id"] == name]
        if not found:
            raise ScimError(404, f"No resource type {name}.")
        return _json(found[0])
    return _page(request, types, len(types), 1)


@scim_view(("GET",))
def schema_list(request: HttpRequest, urn: str | None = None) -> HttpResponse:
    everything = schemas.all_schemas(list(Team.objects.values_list("name", flat=True)))
    if urn is not None:
        found = [s for s in everything if s["id"] == urn]
        if not found:
            raise ScimError(404, f"No schema {urn}.")
        return _json(found[0])
    return _page(request, everything, len(everything), 1)


@scim_view(("GET", "POST", "PUT", "PATCH", "DELETE"))
def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    raise ScimError(404, "No such SCIM endpoint.")


@scim_view(("POST",))
def search_all(request: HttpRequest) -> HttpResponse:
    raise ScimError(501, "Search one resource type at a time: /Users/.search.")


# Users.

_USER_FILTER_FIELDS = {
    "username": "scim__user_name__iexact",
    "externalid": "scim__external_id",
    "emails.value": "email__iexact",
    "id": "pk",
}


def _filtered_users(text: str | None) -> QuerySet[User]:
    people = scim_users()
    if not text:
        return people
    for comparison in parse_filter(text):
        attribute = comparison.attribute.lower().removeprefix(
            schemas.USER_SCHEMA.lower() + ":"
        )
        if comparison.operator == "eq" and attribute in _USER_FILTER_FIELDS:
            value = comparison.value
            if attribute == "id" and not is_id(value):
                return people.none()
            condition = Q(**{_USER_FILTER_FIELDS[attribute]: value})
            if attribute == "username":  # people Onramp made: their e-mail
                condition |= Q(scim__isnull=True, email__iexact=value)
            people = people.filter(condition)
        else:
            people = User.objects.filter(
                pk__in=[u.pk for u in people if matches(user_resource(u), comparison)]
            ).select_related("team", "scim", "api_version")
    return people


def _user_list(
    request: HttpRequest,
    filter_text: str | None,
    start: int,
    count: int,
    selection: Selection | None = None,
) -> HttpResponse:
    people = _filtered_users(filter_text).order_by("pk")
    total = people.count()
    page = list(people[start - 1 : start - 1 + count])
    return _page(request, [user_resource(u) for u in page], total, start, selection)


@scim_view(("GET", "POST"))
def users(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        user = scim_user_create(_body(request))
        return _respond(request, user_resource(_user(user.pk)), 201)
    start, count = _paging(request)
    return _user_list(request, request.GET.get("filter"), start, count)


@scim_view(("POST",))
def users_search(request: HttpRequest) -> HttpResponse:
    body = _body(request)
    if not isinstance(body, dict):
        raise ScimError(400, "The body must be a SearchRequest.", "invalidSyntax")
    selection = (
        [str(name) for name in body.get("attributes") or []],
        [str(name) for name in body.get("excludedAttributes") or []],
    )
    try:
        start = max(int(body.get("startIndex") or 1), 1)
        count = min(max(int(body.get("count") or 100), 0), schemas.MAX_RESULTS)
    except (TypeError, ValueError):
        raise ScimError(
            400, "startIndex and count must be numbers.", "invalidValue"
        ) from None
    filter_text = body.get("filter")
    if filter_text is not None and not isinstance(filter_text, str):
        raise ScimError(400, "filter must be a string.", "invalidFilter")
    return _user_list(request, filter_text, start, count, selection)


def _user(pk: str | int) -> User:
    user = scim_users().filter(pk=pk).first() if is_id(pk) else None
    if user is None:
        raise ScimError(404, f"No User {pk}.")
    return user


@scim_view(("GET", "PUT", "PATCH", "DELETE"))
def user_detail(request: HttpRequest, pk: str) -> HttpResponse:
    user = _user(pk)
    resource = user_resource(user)
    if request.method == "GET":
        return _respond(request, resource)
    _check_etag(request, resource)
    if request.method == "DELETE":
        scim_user_delete(user)
        return HttpResponse(status=204)
    body = _body(request)
    if request.method == "PATCH":
        body = _patched(resource, body, [schemas.ONRAMP_USER], schemas.USER_SCHEMA)
    scim_user_replace(user, body, keep_missing=request.method == "PUT")
    return _respond(request, user_resource(_user(user.pk)))


def _patched(
    resource: dict[str, Any], body: Any, extensions: list[str], core: str
) -> dict[str, Any]:
    if not isinstance(body, dict) or schemas.PATCH_OP not in body.get("schemas", []):
        raise ScimError(400, "The body must be a PatchOp.", "invalidSyntax")
    operations = body.get("Operations")
    if not isinstance(operations, list) or not operations:
        raise ScimError(400, "Operations must be a non-empty list.", "invalidSyntax")
    patched = apply_patch(resource, operations, extensions=extensions, core=core)
    patched.pop("meta", None)
    return patched


# Groups.


def _group(pk: str) -> Team:
    team = scim_teams().filter(pk=pk).first() if is_id(pk) else None
    if team is None:
        raise ScimError(404, f"No Group {pk}.")
    return team


def _group_members(team: Team) -> list[User]:
    return list(scim_users().filter(team=team))


@scim_view(("GET", "POST"))
def groups(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        team = scim_group_create(_body(request))
        return _respond(
            request, group_resource(_group(str(team.pk)), _group_members(team)), 201
        )
    start, count = _paging(request)
    teams = scim_teams().order_by("pk")
    text = request.GET.get("filter")
    if text:
        for comparison in parse_filter(text):
            attribute = comparison.attribute.lower()
            if comparison.operator == "eq" and attribute == "displayname":
                teams = teams.filter(name__iexact=comparison.value)
            elif comparison.operator == "eq" and attribute == "externalid":
                teams = teams.filter(scim__external_id=comparison.value)
            elif comparison.operator == "eq" and attribute == "id":
                teams = teams.filter(
                    pk=comparison.value if is_id(comparison.value) else 0
                )
            else:
                teams = Team.objects.filter(
                    pk__in=[
                        t.pk for t in teams if matches(group_resource(t), comparison)
                    ]
                ).select_related("scim")
    total = teams.count()
    page = list(teams[start - 1 : start - 1 + count])
    members: dict[int, list[User]] = {}
    for person in scim_users().filter(team__in=page):
        members.setdefault(person.team_id or 0, []).append(person)
    return _page(
        request, [group_resource(t, members.get(t.pk, [])) for t in page], total, start
    )


@scim_view(("GET", "PUT", "PATCH", "DELETE"))
def group_detail(request: HttpRequest, pk: str) -> HttpResponse:
    team = _group(pk)
    resource = group_resource(team, _group_members(team))
    if request.method == "GET":
        return _respond(request, resource)
    _check_etag(request, resource)
    if request.method == "DELETE":
        scim_group_delete(team)
        return HttpResponse(status=204)
    body = _body(request)
    if request.method == "PATCH":
        body = _patched(resource, body, [], schemas.GROUP_SCHEMA)
    scim_group_replace(team, body)
    team = _group(pk)
    return _respond(request, group_resource(team, _group_members(team)))
