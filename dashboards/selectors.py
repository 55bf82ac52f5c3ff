"""What a person's start page shows, by role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from courses.selectors import MyLearning, learning_state, next_due_instant
from library.metrics import recent_engaged_prospects
from lms.accounts import visibility
from lms.accounts.models import Team, User
from lms.lib import clock


@dataclass
class StartPage:
    """What a person's start page shows about the teams they lead or coach: read at
    every request (member counts and invitations are not versioned per person)."""

    person: User
    managed_teams: list[Team] = field(default_factory=list)
    coached_teams: list[Team] = field(default_factory=list)
    pending_invitations: int = 0
    people_count: int = 0


@dataclass(frozen=True)
class RepCorner:
    """What a rep's start page shows about them: who coaches and manages them, and
    their engaged prospects."""

    coaches: list[User]
    managers: list[User]
    engaged_prospects: int


@dataclass(frozen=True)
class PersonalStart:
    """What a person's start page shows about themself: their open training and, for
    a rep, their corner. The start page keeps it rendered per person
    (`lms.lib.person_cache`)."""

    learning: MyLearning
    corner: RepCorner | None


def person_engaged_prospects(person: User) -> int:
    """Distinct prospects who opened the person's shared content in the last 30
    days (library.metrics)."""
    return recent_engaged_prospects(rep_id=person.pk, now=clock.now()).count


def personal_start_for(user: User) -> tuple[PersonalStart, dt.datetime | None]:
    """The person's own part of the start page, and until when it holds: the next
    due date still ahead (an assignment falls overdue) or the instant the earliest
    open a rep's corner counts leaves the window of engaged prospects, whichever
    comes first."""
    learning = learning_state(user=user)
    until = [next_due_instant(learning=learning)]
    corner = None
    if user.is_rep:
        coaches, managers = _coaches_and_managers(user)
        prospects = recent_engaged_prospects(rep_id=user.pk, now=clock.now())
        corner = RepCorner(coaches, managers, prospects.count)
        until.append(prospects.holds_until)
    return PersonalStart(learning, corner), min(
        (moment for moment in until if moment is not None), default=None
    )


def start_page_for(user: User) -> StartPage:
    start = StartPage(person=user)
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
