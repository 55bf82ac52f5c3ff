"""SCIM users and groups: Onramp people and teams as identity providers see them, and
the writes they make, through the same services as the UI (team moves go through
`user_move_to_team`, so path rules give onboarding; deactivation saves the person
inactive, which ends their sessions, and integrations revokes their tokens)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zoneinfo
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from integrations.models import PersonVersion, ScimGroup, ScimUser
from integrations.scim import schemas
from integrations.scim.paths import ScimError, is_id
from lms.accounts.models import Team, User, validate_plain_text
from lms.accounts.services import user_move_to_team

# Core attributes an identity provider may send that Onramp does not keep: accepted
# and ignored (RFC 7643 lets a service provider ignore them). Anything else unknown
# is refused.
IGNORED_USER_ATTRIBUTES = {
    "nickname",
    "profileurl",
    "title",
    "usertype",
    "preferredlanguage",
    "locale",
    "phonenumbers",
    "addresses",
    "ims",
    "photos",
    "groups",
    "entitlements",
    "roles",
    "x509certificates",
    "password",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user",
}
USER_ATTRIBUTES = {
    "schemas",
    "id",
    "meta",
    "externalid",
    "username",
    "name",
    "displayname",
    "active",
    "emails",
    "timezone",
    schemas.ONRAMP_USER.lower(),
}
GROUP_ATTRIBUTES = {"schemas", "id", "meta", "externalid", "displayname", "members"}


def etag_of(resource: dict[str, Any]) -> str:
    body = {k: v for k, v in resource.items() if k != "meta"}
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
    return f'W/"{digest[:20]}"'


def _with_meta(
    resource: dict[str, Any],
    kind: str,
    pk: int,
    created: dt.datetime,
    modified: dt.datetime,
) -> dict[str, Any]:
    resource["meta"] = {
        "resourceType": kind,
        "created": created.isoformat(),
        "lastModified": max(created, modified).isoformat(),
        "location": schemas.location(f"{kind}s/{pk}"),
    }
    resource["meta"]["version"] = etag_of(resource)
    return resource


# Users.


def scim_users() -> QuerySet[User]:
    """People SCIM manages: everyone but operators and those it deleted."""
    return (
        User.objects.filter(is_staff=False, is_superuser=False)
        .exclude(scim__deleted_at__isnull=False)
        .select_related("team", "scim", "api_version")
    )


def user_resource(user: User) -> dict[str, Any]:
    identity: ScimUser | None = getattr(user, "scim", None)
    given = identity.given_name if identity else ""
    family = identity.family_name if identity else ""
    if identity is None:  # someone Onramp made: their name, split once
        given, _, family = user.full_name.partition(" ")
    extension: dict[str, Any] = {}
    # UTC is also what an unset time zone means: shown when someone chose it.
    if user.time_zone != "UTC" or (identity is not None and identity.time_zone_given):
        extension["timeZone"] = user.time_zone
    if user.start_date:
        extension["startDate"] = user.start_date.isoformat()
    if user.team is not None:
        extension["team"] = user.team.name
    resource: dict[str, Any] = {
        "schemas": [schemas.USER_SCHEMA],
        "id": str(user.pk),
        "userName": identity.user_name if identity else user.email,
        "displayName": user.full_name,
        "active": user.is_active,
        "emails": [{"value": user.email}],
    }
    if given or family:
        resource["name"] = {
            **({"givenName": given} if given else {}),
            **({"familyName": family} if family else {}),
        }
    if extension:
        resource["schemas"].append(schemas.ONRAMP_USER)
        resource[schemas.ONRAMP_USER] = extension
    if identity is not None and identity.external_id:
        resource["externalId"] = identity.external_id
    version: PersonVersion | None = getattr(user, "api_version", None)
    modified = version.updated_at if version else user.date_joined
    return _with_meta(resource, "User", user.pk, user.date_joined, modified)


def _lower_keys(data: dict[str, Any]) -> dict[str, Any]:
    return {key.lower(): value for key, value in data.items()}


def _text(value: Any, name: str, *, limit: int = 150) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ScimError(400, f"{name} must be a string.", "invalidValue")
    text: str = value.strip()
    if len(text) > limit:
        raise ScimError(
            400, f"{name} is longer than {limit} characters.", "invalidValue"
        )
    try:
        validate_plain_text(text)
    except ValidationError:
        raise ScimError(
            400, f"{name} has line breaks or control characters.", "invalidValue"
        ) from None
    return text


def _boolean(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"  # some identity providers send strings
    raise ScimError(400, f"{name} must be true or false.", "invalidValue")


def _parse_user(data: Any, *, keep_missing: bool = True) -> dict[str, Any]:
    """The writable values of a User resource, checked; ScimError otherwise. With
    `keep_missing`, Onramp attributes left out are not in the result (a PUT keeps
    them); without, they are cleared (a PATCH that removed them)."""
    if not isinstance(data, dict):
        raise ScimError(400, "The body must be a JSON object.", "invalidSyntax")
    fields = _lower_keys(data)
    unknown = sorted(
        name for name in fields if name not in USER_ATTRIBUTES | IGNORED_USER_ATTRIBUTES
    )
    if unknown:
        raise ScimError(
            400, f"Unknown attribute(s): {', '.join(unknown)}.", "invalidSyntax"
        )
    user_name = _text(fields.get("username"), "userName", limit=254)
    if not user_name:
        raise ScimError(400, "userName is required.", "invalidValue")
    emails = fields.get("emails") or []
    if not isinstance(emails, list) or not all(isinstance(e, dict) for e in emails):
        raise ScimError(400, "emails must be a list of objects.", "invalidValue")
    addresses = [
        (
            str(_lower_keys(e).get("value", "")).strip(),
            bool(_lower_keys(e).get("primary")),
        )
        for e in emails
    ]
    email = user_name if _is_email(user_name) else ""
    if not email:
        primary = [value for value, is_primary in addresses if is_primary and value]
        others = [value for value, _ in addresses if value]
        email = (primary or others or [""])[0]
    if not _is_email(email):
        raise ScimError(
            400,
            "userName must be the person's e-mail address (or emails must hold one).",
            "invalidValue",
        )
    name = fields.get("name") or {}
    if not isinstance(name, dict):
        raise ScimError(400, "name must be an object.", "invalidValue")
    name = _lower_keys(name)
    given = _text(name.get("givenname"), "name.givenName")
    family = _text(name.get("familyname"), "name.familyName")
    full_name = " ".join(part for part in (given, family) if part) or _text(
        name.get("formatted") or fields.get("displayname"), "name.formatted"
    )
    extension = fields.get(schemas.ONRAMP_USER.lower()) or {}
    if not isinstance(extension, dict):
        raise ScimError(400, "The Onramp extension must be an object.", "invalidValue")
    extension = _lower_keys(extension)
    extension.pop("schemas", None)
    unknown_ext = sorted(set(extension) - {"startdate", "timezone", "team"})
    if unknown_ext:
        raise ScimError(
            400, f"Unknown attribute(s): {', '.join(unknown_ext)}.", "invalidSyntax"
        )
    values: dict[str, Any] = {
        "user_name": user_name,
        "email": email.lower(),
        "external_id": _text(fields.get("externalid"), "externalId", limit=255),
        "given_name": given,
        "family_name": family,
        "full_name": full_name or email.split("@")[0],
        "active": _boolean(fields.get("active", True), "active"),
    }
    if not keep_missing:
        extension = {"startdate": None, "timezone": None, "team": None, **extension}
    if "startdate" in extension:
        raw = extension["startdate"]
        try:
            values["start_date"] = dt.date.fromisoformat(raw[:10]) if raw else None
        except (TypeError, ValueError):
            raise ScimError(
                400, "startDate must be a date, YYYY-MM-DD.", "invalidValue"
            ) from None
    zone = extension.get("timezone") or fields.get("timezone")
    if not zone and not keep_missing:
        values["time_zone"] = "UTC"
    if zone:
        if not isinstance(zone, str) or zone not in zoneinfo.available_timezones():
            raise ScimError(400, f"{zone!r} is not a known time zone.", "invalidValue")
        values["time_zone"] = zone
    values["time_zone_given"] = bool(zone)
    if "team" in extension:
        team_name = extension["team"]
        if team_name in (None, ""):
            values["team"] = None
        else:
            team = Team.objects.filter(name__iexact=str(team_name).strip()).first()
            if team is None:
                raise ScimError(400, f"No team is named {team_name!r}.", "invalidValue")
            values["team"] = team
    return values


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _taken(values: dict[str, Any], user: User | None) -> None:
    others = User.objects.exclude(pk=user.pk) if user else User.objects.all()
    if others.filter(email__iexact=values["email"]).exists():
        raise ScimError(
            409, f"{values['email']} belongs to someone else.", "uniqueness"
        )
    identities = ScimUser.objects.exclude(user=user) if user else ScimUser.objects.all()
    if identities.filter(user_name__iexact=values["user_name"]).exists():
        raise ScimError(409, "This userName is taken.", "uniqueness")


def _set_active(user: User, active: bool) -> None:
    """Activate or deactivate through User.save, as every door does (deactivation
    ends the person's sessions; integrations revokes their API tokens)."""
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])


@transaction.atomic
def scim_user_create(data: Any) -> User:
    """A new person (or the one SCIM deleted before, with the same userName or
    e-mail, brought back). They sign in through single sign-on, or set a password
    with "Forgot your password?"."""
    values = _parse_user(data)
    earlier = (
        User.objects.filter(scim__deleted_at__isnull=False)
        .filter(email__iexact=values["email"])
        .first()
    )
    if earlier is not None:
        ScimUser.objects.filter(user=earlier).update(deleted_at=None)
        return scim_user_replace(earlier, data)
    _taken(values, None)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                values["email"],
                None,
                full_name=values["full_name"],
                start_date=values.get("start_date"),
                time_zone=values.get("time_zone", "UTC"),
                is_active=values["active"],
            )
            ScimUser.objects.create(
                user=user,
                user_name=values["user_name"],
                external_id=values["external_id"],
                given_name=values["given_name"],
                family_name=values["family_name"],
                time_zone_given=values["time_zone_given"],
            )
    except IntegrityError:
        raise ScimError(409, "This person exists already.", "uniqueness") from None
    # The identity provider vouches for the address: single sign-on may use it.
    EmailAddress.objects.create(
        user=user, email=user.email, primary=True, verified=True
    )
    if values.get("team") is not None:
        user_move_to_team(user=user, team=values["team"])
    return user


@transaction.atomic
def scim_user_replace(user: User, data: Any, *, keep_missing: bool = True) -> User:
    """PUT (and PATCH, once applied): the person as the identity provider says.
    On a PUT, Onramp attributes left out (start date, time zone, team) stay as they
    are: an identity provider that does not know them must not clear them."""
    values = _parse_user(data, keep_missing=keep_missing)
    user = User.objects.select_for_update().get(pk=user.pk)
    _taken(values, user)
    changed = []
    for field, value in (
        ("email", values["email"]),
        ("full_name", values["full_name"]),
        ("start_date", values.get("start_date", user.start_date)),
        ("time_zone", values.get("time_zone", user.time_zone)),
    ):
        if getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    if changed:
        user.save(update_fields=changed)
        if "email" in changed:
            EmailAddress.objects.filter(user=user).delete()
            EmailAddress.objects.create(
                user=user, email=user.email, primary=True, verified=True
            )
    zone_given = values["time_zone_given"]
    if keep_missing and "time_zone" not in values:  # a PUT without it keeps it
        zone_given = ScimUser.objects.filter(user=user, time_zone_given=True).exists()
    ScimUser.objects.update_or_create(
        user=user,
        defaults={
            "user_name": values["user_name"],
            "external_id": values["external_id"],
            "given_name": values["given_name"],
            "family_name": values["family_name"],
            "time_zone_given": zone_given,
        },
    )
    if "team" in values:
        user_move_to_team(user=user, team=values["team"])
    _set_active(user, values["active"])
    return user


@transaction.atomic
def scim_user_delete(user: User) -> None:
    """DELETE never erases: the person is deactivated and leaves SCIM; their
    history stays."""
    ScimUser.objects.update_or_create(
        user=user,
        defaults={
            "deleted_at": timezone.now(),
            "user_name": f"deleted-{user.pk}-{user.email}"[:255],
        },
    )
    _set_active(user, False)


# Groups (teams).


def scim_teams() -> QuerySet[Team]:
    return Team.objects.select_related("scim").prefetch_related("members")


def group_resource(team: Team, members: list[User] | None = None) -> dict[str, Any]:
    people = members if members is not None else list(team.members.all())
    resource: dict[str, Any] = {
        "schemas": [schemas.GROUP_SCHEMA],
        "id": str(team.pk),
        "displayName": team.name,
        "members": [
            {
                "value": str(person.pk),
                "$ref": schemas.location(f"Users/{person.pk}"),
            }
            for person in sorted(people, key=lambda p: p.pk)
        ],
    }
    link: ScimGroup | None = getattr(team, "scim", None)
    if link is not None and link.external_id:
        resource["externalId"] = link.external_id
    created = (
        link.created_at if link else timezone.now().replace(year=2000, month=1, day=1)
    )
    return _with_meta(resource, "Group", team.pk, created, created)


def _parse_group(data: Any) -> tuple[str, str, list[int]]:
    if not isinstance(data, dict):
        raise ScimError(400, "The body must be a JSON object.", "invalidSyntax")
    fields = _lower_keys(data)
    unknown = sorted(set(fields) - GROUP_ATTRIBUTES)
    if unknown:
        raise ScimError(
            400, f"Unknown attribute(s): {', '.join(unknown)}.", "invalidSyntax"
        )
    name = _text(fields.get("displayname"), "displayName", limit=100)
    if not name:
        raise ScimError(400, "displayName is required.", "invalidValue")
    members = fields.get("members") or []
    if not isinstance(members, list):
        raise ScimError(400, "members must be a list.", "invalidValue")
    ids = []
    for member in members:
        value = _lower_keys(member).get("value") if isinstance(member, dict) else None
        if not isinstance(value, str | int) or not is_id(value):
            raise ScimError(
                400, "Each member needs the value of a User id.", "invalidValue"
            )
        ids.append(int(value))
    return name, _text(fields.get("externalid"), "externalId", limit=255), ids


def _members(ids: list[int]) -> list[User]:
    people = list(scim_users().filter(pk__in=ids))
    if len(people) != len(set(ids)):
        raise ScimError(400, "A member is not a User of this service.", "invalidValue")
    return people


def _set_members(team: Team, people: list[User]) -> None:
    """The team's members become exactly these people (moved in through
    `user_move_to_team`, so path rules give them onboarding; those removed leave the
    team)."""
    wanted = {person.pk for person in people}
    for person in User.objects.filter(team=team).exclude(pk__in=wanted):
        user_move_to_team(user=person, team=None)
    for person in people:
        if person.team_id != team.pk:
            user_move_to_team(user=person, team=team)


@transaction.atomic
def scim_group_create(data: Any) -> Team:
    """A new team at the top of the tree, or the existing team of that name linked
    to the identity provider's group (teams are arranged in Onramp)."""
    name, external_id, ids = _parse_group(data)
    team = Team.objects.filter(name__iexact=name).first()
    if team is not None and ScimGroup.objects.filter(team=team).exists():
        raise ScimError(409, f"The group {name!r} exists already.", "uniqueness")
    if team is None:
        team = Team.add_root(name=name)
    ScimGroup.objects.create(team=team, external_id=external_id)
    _set_members(team, _members(ids))
    return team


@transaction.atomic
def scim_group_replace(team: Team, data: Any) -> Team:
    name, external_id, ids = _parse_group(data)
    if Team.objects.filter(name__iexact=name).exclude(pk=team.pk).exists():
        raise ScimError(409, f"Another team is named {name!r}.", "uniqueness")
    if team.name != name:
        team.name = name
        team.save(update_fields=["name"])
    ScimGroup.objects.update_or_create(team=team, defaults={"external_id": external_id})
    _set_members(team, _members(ids))
    return team


@transaction.atomic
def scim_group_delete(team: Team) -> None:
    """Members leave the team, then the team goes. A team with teams below it is
    kept (409): the tree is arranged in Onramp."""
    if team.get_children_count():
        raise ScimError(
            409, "This team has teams below it: it is not deleted.", "mutability"
        )
    _set_members(team, [])
    team.delete()
