"""The weekly manager digest: for each manager, who in their teams is overdue, what
falls due in the coming week, coaching reviews waiting, and certificates expiring.
Sent once per ISO week, on the manager's Monday from 07:00 in their time zone (or on
the first run after that in the same week), unless they switched digests off."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection
from smtplib import SMTPRecipientsRefused
from typing import Any

from django.core.mail import get_connection
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import ngettext

from coaching.models import Submission
from dashboards.team import TeamFilters, team_view
from lms.accounts.models import Team, User
from lms.lib import clock
from lms.lib.urls import absolute_url
from lms.notifications.models import NotificationLog
from lms.notifications.services import notify_once

logger = logging.getLogger(__name__)

KIND = "manager_digest"
SEND_FROM = dt.time(7, 0)
# The hourly job hands the due managers to batch jobs of this many, so that several
# worker processes share the work and no job runs near its time limit.
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


def digest_context(*, manager: User, now: dt.datetime) -> dict[str, Any]:
    """What the digest lists: the manager's people as My team sees them."""
    view = team_view(viewer=manager, filters=TeamFilters(sort="-overdue"), now=now)
    people = [row.person.pk for row in view.rows]
    waiting = (
        Submission.objects.pending()
        .filter(rep_id__in=people)
        .select_related("rep")
        .order_by("due_at", "pk")
    )
    return {
        "overdue": [row for row in view.rows if row.overdue],
        "due_soon": [row for row in view.rows if row.due_soon],
        "waiting": list(waiting),
        "expiring": [row for row in view.rows if row.has_status("expiring")],
        "people_count": len(view.rows),
        "team_url": absolute_url("team_overview"),
        "profile_url": absolute_url("profile"),
        "now": now,
        "manager": manager,
        "first_name": manager.get_short_name(),
    }


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
    idempotent (each digest is claimed through notify_once). Returns sent and
    refused counts."""
    now = now or clock.now()
    counts = {"sent": 0, "refused": 0}
    managers = _managers()
    if manager_ids is not None:
        managers = managers.filter(pk__in=manager_ids)

    with get_connection() as connection:
        for manager in managers:
            key = digest_due(manager, now)
            if key is None:
                continue
            if NotificationLog.objects.filter(
                user=manager, kind=KIND, key=key
            ).exists():
                continue
            context = digest_context(manager=manager, now=now)
            if not context["people_count"]:
                continue
            overdue = len(context["overdue"])
            try:
                with translation.override(manager.preferred_language):
                    subject = ngettext(
                        "Your team this week: %(overdue)s overdue, "
                        "%(waiting)s review waiting",
                        "Your team this week: %(overdue)s overdue, "
                        "%(waiting)s reviews waiting",
                        len(context["waiting"]),
                    ) % {"overdue": overdue, "waiting": len(context["waiting"])}
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
                logger.exception(
                    "Digest to %s refused; next run tries again", manager.pk
                )
                counts["refused"] += 1
                continue
            counts["sent"] += int(sent)
    return counts
