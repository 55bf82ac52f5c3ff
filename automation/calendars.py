"""Calendar feeds: a person's due dates, review deadlines and certificate expiries,
and a manager's team due dates, as iCalendar for any calendar app.

A feed carries no more than its person may see in Onramp: their own open training
and certificates, the pending reviews routed to them as a coach, and, in the team
feed, the open training of the people in the teams they manage (sub-teams included;
everyone for enablement admins). Each feed costs a fixed number of queries.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext

from automation.models import CalendarFeed, CalendarRevision, new_feed_token
from certificates.models import Certificate
from coaching.models import Submission
from coaching.selectors import routed_to
from courses.calendar import assignment_event
from courses.models import Assignment
from lms.accounts.models import User
from lms.accounts.visibility import managed_teams
from lms.lib import clock
from lms.lib.ics import CalendarEvent, event_uid
from lms.lib.urls import absolute_url

REVISION_BATCH = 1000


def calendar_feed_for(*, user: User) -> CalendarFeed:
    """The person's feed, made on first use."""
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_reset(*, user: User) -> CalendarFeed:
    """Give the person a new feed address; the old one stops working at once."""
    feed = calendar_feed_for(user=user)
    feed.token = new_feed_token()
    feed.save(update_fields=["token"])
    return feed


def feed_owner(token: str) -> User | None:
    """The active person whose feed this token opens, or None."""
    feed = (
        CalendarFeed.objects.filter(token=token, user__is_active=True)
        .select_related("user")
        .first()
    )
    return feed.user if feed else None


def can_have_team_feed(user: User) -> bool:
    return user.is_manager or user.is_enablement_admin


def person_events(*, user: User) -> list[CalendarEvent]:
    """The person's own due dates and certificate expiries, and, for a coach, the
    deadlines of the reviews waiting for them."""
    events = [
        event
        for assignment in Assignment.objects.open()
        .filter(user=user, due_at__isnull=False)
        .select_related("user", "path", "course")
        if (event := assignment_event(assignment)) is not None
    ]
    events += [
        CalendarEvent(
            uid=event_uid("certificate-expiry", certificate.pk),
            summary=gettext("Certificate expires: %(program)s")
            % {"program": certificate.program_title},
            start=certificate.expires_at.astimezone(clock.zone(user.time_zone)).date(),
            url=absolute_url("certificates_mine"),
        )
        for certificate in Certificate.objects.filter(
            user=user, status=Certificate.Status.ACTIVE, expires_at__isnull=False
        )
        if certificate.expires_at is not None
    ]
    if user.is_coach:
        events += [
            CalendarEvent(
                uid=event_uid("review-deadline", submission.pk),
                summary=gettext("Review due: %(title)s (%(rep)s)")
                % {"title": submission.title, "rep": submission.rep.full_name},
                start=submission.due_at,
                url=absolute_url("coaching_queue"),
            )
            for submission in routed_to(user)
            .filter(state__in=Submission.PENDING_STATES, due_at__isnull=False)
            .select_related("rep")
            if submission.due_at is not None
        ]
    return events


def team_events(*, manager: User) -> list[CalendarEvent]:
    """The open training with a due date of everyone in the teams the manager
    manages, one event per assignment, named after its person."""
    if not can_have_team_feed(manager):
        return []
    assignments = (
        Assignment.objects.open()
        .filter(
            user__is_active=True,
            user__team__in=managed_teams(manager),
            due_at__isnull=False,
        )
        .exclude(user=manager)
        .select_related("user", "path", "course")
    )
    events = []
    for assignment in assignments:
        event = assignment_event(assignment)
        if event is not None:
            events.append(
                dataclasses.replace(
                    event,
                    uid=event_uid("team-assignment", assignment.pk),
                    summary=f"{assignment.user.full_name}: {assignment.title}",
                    url=absolute_url("person_detail", assignment.user_id),
                )
            )
    return events


def event_revisions(events: Sequence[CalendarEvent]) -> dict[str, int]:
    """The SEQUENCE of each event: 0 when first seen, one more each time its date
    or text changed since the last feed or e-mail. A few queries per thousand."""
    revisions: dict[str, int] = {}
    now = clock.now()
    for start in range(0, len(events), REVISION_BATCH):
        batch = {event.uid: event for event in events[start : start + REVISION_BATCH]}
        known = {row.uid: row for row in CalendarRevision.objects.filter(uid__in=batch)}
        new = [
            CalendarRevision(uid=uid, fingerprint=event.fingerprint, changed_at=now)
            for uid, event in batch.items()
            if uid not in known
        ]
        CalendarRevision.objects.bulk_create(new, ignore_conflicts=True)
        revisions.update(dict.fromkeys((row.uid for row in new), 0))
        for uid, row in known.items():
            fingerprint = batch[uid].fingerprint
            if row.fingerprint != fingerprint:
                with transaction.atomic():
                    CalendarRevision.objects.filter(pk=row.pk).update(
                        fingerprint=fingerprint,
                        sequence=F("sequence") + 1,
                        changed_at=now,
                    )
                    row.refresh_from_db(fields=["sequence"])
            revisions[uid] = row.sequence
    return revisions
