"""The weekly manager digest: for each manager, who in their teams is overdue, what
falls due in the coming week, coaching reviews waiting, and certificates expiring.
Sent once per ISO week, on the manager's Monday from 07:00 in their time zone (or on
the first run after that in the same week), unless they switched digests off."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection, Sequence
from smtplib import SMTPRecipientsRefused
from typing import Any

from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import ngettext

from coaching.models import Submission
from dashboards.team import PersonRow, TeamFilters, team_view
from lms.accounts import visibility
from lms.accounts.models import Team, User
from lms.lib import clock
from lms.lib.urls import absolute_url
from lms.notifications.models import NotificationLog
from lms.notifications.services import notify_once

logger = logging.getLogger(__name__)

KIND = "manager_digest"
SEND_FROM = dt.time(7, 0)
# The hourly job hands the due managers to batch jobs of this many, so that several
# worker processes share the work and no job runs near its time limit; a job reads
# the figures of its managers' people together (digest_contexts).
DIGEST_BATCH = 100


def digest_key(local_today: dt.date) -> str:
    year, week, _ = local_today.isocalendar()
    return f"manager-digest:{year}-W{week:02d}"


def digest_due(manager: User, now: dt.datetime) -> str | None:
    """This week's key if the manager's Monday 07:00 has passed, else None."""
    local = timezone.localtime(now, clock.zone(manager.time_zone))
    monday = local.date() - dt.timedelta(days=local.weekday())
    send_from = dt.datetime.combine(monday, SEND_FROM, tzinfo=local.tzinfo)
    return digest_key(local.date()) if local >= send_from else None


def digest_contexts(
    *, managers: Sequence[User], now: dt.datetime
) -> dict[int, dict[str, Any]]:
    """What each manager's digest lists (by manager id): their people as My team
    sees them. For a whole batch at once: one team_view over the union of their
    subtrees (the figures of everyone in a few queries, not a few per manager), of
    which each manager gets the rows of their own teams in My team's order; the
    reviews waiting are read in one query too."""
    subtrees = visibility.managed_subtrees(managers)
    union = {team.pk: team for teams in subtrees.values() for team in teams}
    rows: list[PersonRow] = []
    waiting: list[Submission] = []
    if union:
        rows = team_view(
            viewer=managers[0],
            filters=TeamFilters(sort="-overdue"),
            now=now,
            subtree=sorted(union.values(), key=lambda team: team.path),
        ).rows
        waiting = list(
            Submission.objects.pending()
            .filter(rep_id__in=[row.person.pk for row in rows])
            .select_related("rep")
            .order_by("due_at", "pk")
        )
    contexts = {}
    for manager in managers:
        # Team names are unique: a row's team name says whose subtree it is in.
        teams = {team.name for team in subtrees[manager.pk]}
        theirs = [row for row in rows if row.team_name in teams]
        people = {row.person.pk for row in theirs}
        contexts[manager.pk] = {
            "overdue": [row for row in theirs if row.overdue],
            "due_soon": [row for row in theirs if row.due_soon],
            "waiting": [item for item in waiting if item.rep_id in people],
            "expiring": [row for row in theirs if row.has_status("expiring")],
            "people_count": len(theirs),
            "team_url": absolute_url("team_overview"),
            "profile_url": absolute_url("profile"),
            "now": now,
            "manager": manager,
            "first_name": manager.get_short_name(),
        }
    return contexts


def _managers() -> QuerySet[User]:
    """Everyone who manages a team and wants the digest."""
    return User.objects.filter(
        is_active=True,
        weekly_digest=True,
        pk__in=Team.managers.through.objects.values("user_id"),
    ).order_by("pk")


def managers_due_digest(*, now: dt.datetime | None = None) -> list[int]:
    """The managers (ids) whose digest of this week is due and not sent yet: what the
    hourly job hands out in batches. Two queries."""
    now = now or clock.now()
    due = {
        pk: key
        for pk, zone_name in _managers().values_list("pk", "time_zone")
        if (key := digest_due(User(pk=pk, time_zone=zone_name), now)) is not None
    }
    sent = set(
        NotificationLog.objects.filter(kind=KIND, key__in=set(due.values()))
        .values_list("user_id", "key")
        .iterator()
    )
    return [pk for pk, key in due.items() if (pk, key) not in sent]


def manager_digests_send(
    *, now: dt.datetime | None = None, manager_ids: Collection[int] | None = None
) -> dict[str, int]:
    """Send this week's digest to every manager (or each of `manager_ids`) whose
    Monday morning has come and who has not had it yet. Run by
    `manager_digests_batch_task` for the batches the hourly job hands out;
    idempotent (each digest is claimed through notify_once). The managers are
    worked DIGEST_BATCH at a time, on one mail connection. Returns sent and refused
    counts."""
    now = now or clock.now()
    counts = {"sent": 0, "refused": 0}
    managers = _managers()
    if manager_ids is not None:
        managers = managers.filter(pk__in=manager_ids)
    due = {
        manager: key
        for manager in managers
        if (key := digest_due(manager, now)) is not None
    }
    sent = set(
        NotificationLog.objects.filter(
            kind=KIND, user__in=due, key__in=set(due.values())
        ).values_list("user_id", "key")
    )
    waiting = [manager for manager, key in due.items() if (manager.pk, key) not in sent]

    with get_connection() as connection:
        for start in range(0, len(waiting), DIGEST_BATCH):
            batch = waiting[start : start + DIGEST_BATCH]
            contexts = digest_contexts(managers=batch, now=now)
            for manager in batch:
                outcome = _digest_send(
                    manager=manager,
                    key=due[manager],
                    context=contexts[manager.pk],
                    connection=connection,
                )
                if outcome is not None:
                    counts[outcome] += 1
    return counts


def _digest_send(
    *,
    manager: User,
    key: str,
    context: dict[str, Any],
    connection: BaseEmailBackend,
) -> str | None:
    """Send one manager their digest, unless they have nobody or had it already:
    "sent", "refused" (the mail server refused the address), or None."""
    if not context["people_count"]:
        return None
    overdue, waiting = len(context["overdue"]), len(context["waiting"])
    try:
        with translation.override(manager.preferred_language):
            subject = ngettext(
                "Your team this week: %(overdue)s overdue, %(waiting)s review waiting",
                "Your team this week: %(overdue)s overdue, %(waiting)s reviews waiting",
                waiting,
            ) % {"overdue": overdue, "waiting": waiting}
        # Due dates and expiries read in the manager's own time zone.
        with timezone.override(clock.zone(manager.time_zone)):
            sent = notify_once(
                user=manager,
                kind=KIND,
                key=key,
                subject=subject,
                template="dashboards/email/manager_digest",
                context=context,
                connection=connection,
            )
    except SMTPRecipientsRefused:
        logger.exception("Digest to %s refused; next run tries again", manager.pk)
        return "refused"
    return "sent" if sent else None
