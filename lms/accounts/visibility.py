"""Who may see whom: the one place every feature asks.

- an enablement admin sees everyone;
- a manager sees the members of every team in the subtree of the teams they manage;
- a coach sees the members of every team in the subtree of the teams they coach;
- everyone sees themself.

Rules are evaluated on every call from the current team relations, so moving a rep to
another team changes who sees them at once. Within one request, the teams a viewer
manages or coaches are read once (`lms.lib.request_cache`, emptied by any change to
teams or memberships). Each selector costs one or two queries
whatever the size of the organisation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.lookups import StartsWith

from lms.accounts.models import Invitation, Team, User
from lms.lib import person_cache, request_cache


def managed_teams(viewer: User) -> QuerySet[Team]:
    """Teams the viewer manages, with all their sub-teams (everything for admins)."""
    if viewer.is_enablement_admin:
        return Team.objects.all()
    return Team.objects.filter(_in_subtrees(_managed_paths(viewer), prefix=""))


def managed_subtree(viewer: User) -> list[Team]:
    """`managed_teams` in path order: the teams with a team the viewer manages on
    their path (that team included). Read in one query, and kept per person in the
    cache (`lms.lib.person_cache`, as their roles are) until any team, any team's
    managers or coaches, or the enablement admins change: a revoked manager or a
    moved team shows at the next request."""

    def read() -> tuple[list[Team], None]:
        if viewer.is_enablement_admin:
            return list(Team.objects.order_by("path")), None
        manages_at_or_above = Team.managers.through.objects.filter(
            StartsWith(OuterRef("path"), F("team__path")), user_id=viewer.pk
        )
        teams = Team.objects.filter(Exists(manages_at_or_above)).order_by("path")
        return list(teams), None

    return request_cache.cached(
        ("managed_subtree", viewer.pk),
        lambda: person_cache.cached_for_person(
            user=viewer, name="managed-subtree", compute=read
        ),
    )


def managed_subtrees(viewers: Collection[User]) -> dict[int, list[Team]]:
    """`managed_subtree` of each of these viewers (by id), for a batch of them (the
    weekly digest): two queries for them all, one more if an admin is among them
    (besides each viewer's roles)."""
    ids = [viewer.pk for viewer in viewers]
    paths: dict[int, list[str]] = defaultdict(list)
    managed = Team.managers.through.objects.filter(user_id__in=ids)
    for user_id, path in managed.values_list("user_id", "team__path"):
        paths[user_id].append(path)
    manages_at_or_above = managed.filter(StartsWith(OuterRef("path"), F("team__path")))
    teams = list(Team.objects.filter(Exists(manages_at_or_above)).order_by("path"))
    every_team: list[Team] = []
    subtrees = {}
    for viewer in viewers:
        if viewer.is_enablement_admin:
            every_team = every_team or list(Team.objects.order_by("path"))
            subtrees[viewer.pk] = every_team
        else:
            prefixes = tuple(paths[viewer.pk])
            subtrees[viewer.pk] = [
                t for t in teams if prefixes and t.path.startswith(prefixes)
            ]
    return subtrees


def coached_teams(viewer: User) -> QuerySet[Team]:
    """Teams the viewer coaches, with all their sub-teams."""
    return Team.objects.filter(_in_subtrees(_coached_paths(viewer), prefix=""))


def visible_users(viewer: User) -> QuerySet[User]:
    """Everyone whose data the viewer may see, the viewer included."""
    if not viewer.is_authenticated:
        return User.objects.none()
    if viewer.is_enablement_admin:
        return User.objects.all()
    paths = request_cache.cached(
        ("led_paths", viewer.pk),
        lambda: _paths(Team.objects.filter(Q(managers=viewer) | Q(coaches=viewer))),
    )
    return User.objects.filter(_in_subtrees(paths) | Q(pk=viewer.pk))


def can_see_user(viewer: User, subject: User) -> bool:
    """Whether the viewer may see the subject's data (profile, progress, recordings)."""
    if not viewer.is_authenticated:
        return False
    if viewer.pk == subject.pk or viewer.is_enablement_admin:
        return True
    return visible_users(viewer).filter(pk=subject.pk).exists()


def is_manager_of(viewer: User, subject: User) -> bool:
    """Whether the viewer manages the subject's team or a team above it (admins
    included). Unlike can_see_user, coaching the team is not enough."""
    if not viewer.is_authenticated or subject.team_id is None:
        return False
    return managed_teams(viewer).filter(pk=subject.team_id).exists()


def invitations_visible_to(viewer: User) -> QuerySet[Invitation]:
    """Invitations into the teams the viewer manages (all of them for admins)."""
    if viewer.is_enablement_admin:
        return Invitation.objects.filter(team__in=managed_teams(viewer))
    return Invitation.objects.filter(
        team_id__in=[team.pk for team in managed_subtree(viewer)]
    )


def can_manage_team(viewer: User, team: Team) -> bool:
    """Whether the viewer manages this team (directly or through an ancestor)."""
    if not viewer.is_authenticated:
        return False
    return managed_teams(viewer).filter(pk=team.pk).exists()


def _managed_paths(viewer: User) -> list[str]:
    """Paths of the teams the viewer manages, read once per request."""
    return request_cache.cached(
        ("managed_paths", viewer.pk),
        lambda: _paths(Team.objects.filter(managers=viewer)),
    )


def _coached_paths(viewer: User) -> list[str]:
    """Paths of the teams the viewer coaches, read once per request."""
    return request_cache.cached(
        ("coached_paths", viewer.pk),
        lambda: _paths(Team.objects.filter(coaches=viewer)),
    )


def _paths(roots: QuerySet[Team]) -> list[str]:
    """Materialised paths of the roots, without those already inside another root."""
    return _outermost(list(roots.values_list("path", flat=True)))


def _outermost(paths: list[str]) -> list[str]:
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(parent) for parent in kept):
            kept.append(path)
    return kept


def _in_subtrees(paths: list[str], prefix: str = "team__") -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{prefix}path__startswith": path})
    return condition


def coaches_of(person: User) -> QuerySet[User]:
    """Who coaches this person: coaches of their team or of a team above it."""
    return User.objects.filter(coached_teams__in=_team_and_ancestors(person)).distinct()


def managers_of(person: User) -> QuerySet[User]:
    """Who manages this person: managers of their team or of a team above it."""
    return User.objects.filter(managed_teams__in=_team_and_ancestors(person)).distinct()


def _team_and_ancestors(person: User) -> list[Team]:
    if person.team is None:
        return []
    return [*person.team.get_ancestors(), person.team]
