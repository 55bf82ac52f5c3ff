"""What a person's start page shows, by role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from courses.selectors import MyLearning, learning_state
from library.metrics import recent_engaged_prospects
from lms.accounts import visibility
from lms.accounts.models import Team, User
from lms.lib import clock, person_cache


@dataclass
class StartPage:
    person: User
    learning: MyLearning | None = None
    coaches: list[User] = field(default_factory=list)
    managers: list[User] = field(default_factory=list)
    managed_teams: list[Team] = field(default_factory=list)
    coached_teams: list[Team] = field(default_factory=list)
    pending_invitations: int = 0
    people_count: int = 0
    engaged_prospects: int | None = None


@dataclass(frozen=True)
class RepCorner:
    """What a rep's start page shows about them: who coaches and manages them, and
    their engaged prospects."""

    coaches: list[User]
    managers: list[User]
    engaged_prospects: int


def person_engaged_prospects(person: User) -> int:
    """Distinct prospects who opened the person's shared content in the last 30
    days (library.metrics)."""
    return recent_engaged_prospects(rep_id=person.pk, now=clock.now()).count


def start_page_for(user: User) -> StartPage:
    start = StartPage(person=user)
    if user.is_rep:
        corner = person_cache.cached_for_person(
            user=user, name="start-rep", compute=lambda: _rep_corner(user)
        )
        start.coaches, start.managers = corner.coaches, corner.managers
        start.engaged_prospects = corner.engaged_prospects
    start.learning = learning_state(user=user)
    if user.is_manager or user.is_enablement_admin:
        start.managed_teams = list(_with_member_counts(visibility.managed_teams(user)))
        start.people_count = sum(team.member_count for team in start.managed_teams)
        start.pending_invitations = (
            visibility.invitations_visible_to(user)
            .filter(accepted_at__isnull=True, revoked_at__isnull=True)
            .count()
        )
    if user.is_coach:
        start.coached_teams = list(_with_member_counts(visibility.coached_teams(user)))
    return start


def _rep_corner(user: User) -> tuple[RepCorner, dt.datetime | None]:
    """The rep's corner of the start page, and until when it holds: the instant the
    earliest open it counts leaves the window of engaged prospects."""
    coaches, managers = _coaches_and_managers(user)
    prospects = recent_engaged_prospects(rep_id=user.pk, now=clock.now())
    return RepCorner(coaches, managers, prospects.count), prospects.holds_until


def _with_member_counts(teams: QuerySet[Team]) -> QuerySet[Team]:
    counted: QuerySet[Team] = teams.annotate(
        member_count=Count("members", filter=Q(members__is_active=True))
    )
    return counted


def _coaches_and_managers(person: User) -> tuple[list[User], list[User]]:
    """Who coaches and who manages the person (of their team or a team above it), in
    one query: the same people as `visibility.coaches_of` and `managers_of`."""
    team = person.team
    if team is None:
        return [], []
    paths = Team.paths_up_from(team.path)
    coaching = Team.coaches.through.objects.filter(
        user_id=OuterRef("pk"), team__path__in=paths
    )
    managing = Team.managers.through.objects.filter(
        user_id=OuterRef("pk"), team__path__in=paths
    )
    people = list(
        User.objects.annotate(
            coaches_here=Exists(coaching), manages_here=Exists(managing)
        ).filter(Q(coaches_here=True) | Q(manages_here=True))
    )
    return (
        [p for p in people if p.coaches_here],
        [p for p in people if p.manages_here],
    )
