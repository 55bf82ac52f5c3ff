"""The e-mails coaching sends: a take waits for its coaches, a coach reviewed it, a
review falls due soon (to the coaches) or is overdue (to the rep's managers). Each is
sent once per person and take or review (lms.notifications), so the jobs that send
them may run again or retry."""

from __future__ import annotations

import datetime as dt

from django.core.mail import get_connection
from django.utils import dateformat, timezone, translation
from django.utils.text import get_text_list
from django.utils.translation import gettext, pgettext

from coaching.models import Review, Submission, Take
from coaching.permissions import routed_coaches
from lms.accounts import visibility
from lms.accounts.models import User
from lms.lib import clock
from lms.lib.urls import absolute_url
from lms.notifications.models import NotificationLog
from lms.notifications.services import notify_once

REMINDER_BEFORE = dt.timedelta(hours=12)

# Notice kinds (lms.notifications), each sent once per key "take:<pk>" or
# "review:<pk>".
REQUESTED_NOTICE = "coaching_request"
REVIEWED_NOTICE = "coaching_reviewed"
REMINDER_NOTICE = "coaching_reminder"
ESCALATION_NOTICE = "coaching_escalation"


def _take_url(take: Take) -> str:
    return absolute_url("coaching_review", take.pk)


def _due_label(due_at: dt.datetime | None, person: User) -> str:
    """ "Friday 4 December, 14:00 (Europe/Berlin)", in the person's time zone and
    in the active language (its word order is the translators' choice)."""
    if due_at is None:
        return ""
    local = timezone.localtime(due_at, clock.zone(person.time_zone))
    # Translators: a date format (Django's date filter), as in "Friday 4 December,
    # 14:00"; escape literal letters with a backslash.
    day_and_time = dateformat.format(local, pgettext("due date", "l j F, H:i"))
    return f"{day_and_time} ({person.time_zone})"


def _context(take: Take, person: User, **more: object) -> dict[str, object]:
    submission = take.submission
    return {
        "submission": submission,
        "take": take,
        "rep": submission.rep,
        "review_url": _take_url(take),
        "due_label": _due_label(submission.due_at, person),
        "first_name": person.get_short_name(),
        **more,
    }


def take_notify_coaches(*, take_id: int) -> int:
    """E-mail the coaches a take is routed to that it waits for their review (once
    per coach per take). Run after a request or a practice take is sent; should
    this notice be lost, the overdue chase still reminds the coaches before the
    turnaround runs out. Returns how many were sent."""
    take = Take.objects.select_related("submission__rep").get(pk=take_id)
    submission = take.submission
    if take.sent_at is None:
        return 0
    sent = 0
    with get_connection() as connection:
        for coach in routed_coaches(submission):
            with translation.override(coach.preferred_language):
                subject = gettext("%(rep)s asks for coaching: “%(title)s”") % {
                    "rep": submission.rep,
                    "title": submission.title,
                }
                context = _context(take, coach)
            sent += notify_once(
                user=coach,
                kind=REQUESTED_NOTICE,
                key=f"take:{take.pk}",
                subject=subject,
                template="coaching/email/requested",
                context=context,
                connection=connection,
            )
    return sent


def review_notify_rep(*, review_id: int) -> bool:
    """E-mail the rep that a coach submitted their review (once per review)."""
    review = Review.objects.select_related("take__submission__rep", "reviewer").get(
        pk=review_id
    )
    if not review.is_submitted_by_coach:
        return False
    submission = review.take.submission
    rep = submission.rep
    approved = review.outcome == Submission.Outcome.APPROVED
    with translation.override(rep.preferred_language):
        names = {"coach": review.reviewer, "title": submission.title}
        if approved:
            subject = gettext("%(coach)s approved “%(title)s”") % names
        else:
            subject = gettext("%(coach)s asks for another take of “%(title)s”") % names
        context = _context(review.take, rep, review=review, approved=approved)
    return notify_once(
        user=rep,
        kind=REVIEWED_NOTICE,
        key=f"review:{review.pk}",
        subject=subject,
        template="coaching/email/reviewed",
        context=context,
    )


def reviews_chase_overdue(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Keep the turnaround target (settings.COACHING_TURNAROUND_HOURS); run by beat
    (`reviews_chase_overdue_task`, every 15 minutes). For each take waiting for
    review: a reminder to its coaches once it is due within 12 hours, and an
    escalation to the rep's managers once it is overdue, each sent once per take.
    Returns (reminders sent, escalations sent).

    Three queries find what is waiting and what was sent already; the coaches and
    managers are then read once per team, so requests left overdue for long cost
    no more e-mail and little work on later runs."""
    now = now or clock.now()
    waiting = list(
        Submission.objects.pending()
        .filter(due_at__isnull=False)
        .filter(due_at__lte=now + REMINDER_BEFORE)
        .select_related("rep__team")
        .order_by("due_at", "pk")
    )
    if not waiting:
        return 0, 0
    takes: dict[int, Take] = {}
    for sent_take in (
        Take.objects.sent()
        .filter(submission__in=waiting)
        .order_by("submission_id", "number")
    ):
        takes[sent_take.submission_id] = sent_take  # the latest sent take wins
    sent = set(
        NotificationLog.objects.filter(
            kind__in=[REMINDER_NOTICE, ESCALATION_NOTICE],
            key__in=[f"take:{take.pk}" for take in takes.values()],
        ).values_list("user_id", "kind", "key")
    )
    people = _PeopleByTeam()
    counts = {REMINDER_NOTICE: 0, ESCALATION_NOTICE: 0}
    with get_connection() as connection:
        for submission in waiting:
            take = takes.get(submission.pk)
            if take is None or submission.due_at is None:
                continue
            take.submission = submission
            key = f"take:{take.pk}"
            coaches = people.coaches(submission)
            if submission.due_at > now:
                kind, recipients = REMINDER_NOTICE, coaches
            else:
                kind, recipients = ESCALATION_NOTICE, people.managers(submission.rep)
            names = {"rep": submission.rep, "title": submission.title}
            for person in recipients:
                if (person.pk, kind, key) in sent:
                    continue
                with translation.override(person.preferred_language):
                    if kind == REMINDER_NOTICE:
                        subject = (
                            gettext("Due soon: coaching for %(rep)s, “%(title)s”")
                            % names
                        )
                    else:
                        subject = (
                            gettext("Overdue coaching: %(rep)s, “%(title)s”") % names
                        )
                    context = _context(
                        take,
                        person,
                        coaches=coaches,
                        coaches_list=get_text_list(
                            [str(coach) for coach in coaches], gettext("and")
                        ),
                    )
                counts[kind] += notify_once(
                    user=person,
                    kind=kind,
                    key=key,
                    subject=subject,
                    template=f"coaching/email/{_TEMPLATES[kind]}",
                    context=context,
                    connection=connection,
                )
    return counts[REMINDER_NOTICE], counts[ESCALATION_NOTICE]


_TEMPLATES = {REMINDER_NOTICE: "reminder", ESCALATION_NOTICE: "escalation"}


class _PeopleByTeam:
    """The routed coaches and the managers of reps, read once per team."""

    def __init__(self) -> None:
        self._coaches: dict[int | None, list[User]] = {}
        self._managers: dict[int | None, list[User]] = {}

    def coaches(self, submission: Submission) -> list[User]:
        if submission.requested_coach_id is not None:
            return list(routed_coaches(submission))
        team_id = submission.rep.team_id
        if team_id not in self._coaches:
            self._coaches[team_id] = list(
                visibility.coaches_of(submission.rep).filter(is_active=True)
            )
        return [c for c in self._coaches[team_id] if c.pk != submission.rep_id]

    def managers(self, rep: User) -> list[User]:
        if rep.team_id not in self._managers:
            self._managers[rep.team_id] = list(
                visibility.managers_of(rep).filter(is_active=True)
            )
        return self._managers[rep.team_id]
