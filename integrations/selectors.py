"""Reads for the API and SCIM: people with their roles, versions and onboarding in
a fixed number of queries, whatever the page size."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from courses.models import Assignment
from lms.accounts.models import Team, User
from lms.accounts.roles import ADMIN, COACH, ENABLEMENT_ADMINS_GROUP, MANAGER, REP


def people_annotated(people: QuerySet[User]) -> QuerySet[User]:
    """People with `updated_at`, role flags and their onboarding assignments."""
    return (
        people.select_related("team")
        .annotate(
            updated_at=Coalesce("api_version__updated_at", "date_joined"),
            coaches_any=Exists(
                Team.coaches.through.objects.filter(user_id=OuterRef("pk"))
            ),
            manages_any=Exists(
                Team.managers.through.objects.filter(user_id=OuterRef("pk"))
            ),
            in_admin_group=Exists(
                Group.objects.filter(name=ENABLEMENT_ADMINS_GROUP, user=OuterRef("pk"))
            ),
        )
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(
                    reason=Assignment.Reason.ONBOARDING, unassigned_at__isnull=True
                )
                .select_related("path")
                .order_by("-assigned_at"),
                to_attr="onboarding_assignments",
            )
        )
    )


def roles_from_annotations(person: User) -> list[str]:
    """The roles of a person from `people_annotated` (no query)."""
    if not person.is_active:
        return []
    roles = []
    if person.team_id:
        roles.append(REP)
    if getattr(person, "coaches_any", False):
        roles.append(COACH)
    if getattr(person, "manages_any", False):
        roles.append(MANAGER)
    if getattr(person, "in_admin_group", False) or person.is_superuser:
        roles.append(ADMIN)
    return roles


def people_updated_since(
    people: QuerySet[User], since: dt.datetime | None
) -> QuerySet[User]:
    if since is None:
        return people
    return people.filter(Q(updated_at__gte=since))


def teams_visible_to(viewer: User) -> QuerySet[Team]:
    """Teams the viewer manages or coaches (with the teams below), and their own."""
    from lms.accounts import visibility

    if viewer.is_enablement_admin:
        return Team.objects.all()
    own = Q(pk=viewer.team_id) if viewer.team_id else Q(pk__in=[])
    return Team.objects.filter(
        Q(pk__in=visibility.managed_teams(viewer).values("pk"))
        | Q(pk__in=visibility.coached_teams(viewer).values("pk"))
        | own
    )
