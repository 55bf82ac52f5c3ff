"""The sequence engine: enrol the people each trigger brings in, send the steps
that are due, let people go when they meet the goal. Run by the beat task
`sequences_tick_task`; every part may run again, or twice at once, without
enrolling or sending anything twice."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from automation.delivery import Outgoing, send, send_many
from automation.rows import rows_insert, rows_update
from automation.sequences import schedule, template
from automation.sequences.context import Context, People, contexts_for
from automation.sequences.frame import step_email_html
from automation.sequences.models import (
    Enrolment,
    LinkClick,
    Sequence,
    SequenceStep,
    StepSend,
)
from automation.sequences.triggers import occurrences
from lms.accounts.models import User
from lms.lib import clock
from lms.lib.lookups import AnyOf

BATCH_SIZE = 500
LEASE = dt.timedelta(minutes=15)


@dataclass
class TickReport:
    enrolled: int = 0
    advanced: int = 0
    sent: int = 0
    failed: int = 0
    exited: int = 0


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    url: str


def sequences_tick(*, batch_size: int = BATCH_SIZE) -> TickReport:
    """One run of the engine: enrol, then send what is due, in batches."""
    now = clock.now()
    report = TickReport()
    active = list(
        Sequence.objects.filter(status=Sequence.Status.ACTIVE).prefetch_related(
            "teams", "steps"
        )
    )
    for sequence in active:
        report.enrolled += sequence_enrol(sequence=sequence, now=now)
    steps = {sequence.pk: _steps(sequence) for sequence in active}
    people = People.load()
    after = 0
    while True:
        batch = _claim_batch(now=now, after=after, size=batch_size)
        if not batch:
            break
        after = batch[-1].pk
        for enrolment in batch:
            enrolment.sequence = next(
                s for s in active if s.pk == enrolment.sequence_id
            )
        _advance(batch, steps=steps, people=people, now=now, report=report)
    return report


def _steps(sequence: Sequence) -> list[SequenceStep]:
    return sorted(sequence.steps.all(), key=lambda step: step.sort_order or 0)


def sequence_enrol(*, sequence: Sequence, now: dt.datetime) -> int:
    """Enrol everyone the trigger brought in since `counts_from` and who is not
    enrolled for that occurrence yet, their first step scheduled. Returns how
    many were enrolled."""
    steps = _steps(sequence)
    if not steps:
        return 0
    found = list(occurrences(sequence, now=now))
    created = 0
    for start in range(0, len(found), 1000):
        chunk = found[start : start + 1000]
        user_ids = {occurrence.user_id for occurrence in chunk}
        known = set(
            Enrolment.objects.filter(
                sequence=sequence,
                user_id__in=user_ids,
                occurrence__in={occurrence.key for occurrence in chunk},
            ).values_list("user_id", "occurrence")
        )
        fresh = [o for o in chunk if (o.user_id, o.key) not in known]
        if not fresh:
            continue
        zones = dict(
            User.objects.filter(pk__in={o.user_id for o in fresh}).values_list(
                "pk", "time_zone"
            )
        )
        rows = [
            Enrolment(
                sequence=sequence,
                user_id=o.user_id,
                occurrence=o.key,
                anchor_at=o.anchor_at,
                assignment_id=o.assignment_id,
                certificate_id=o.certificate_id,
                enrolled_at=now,
                next_due_at=_due_at(sequence, steps[0], o.anchor_at, zones[o.user_id]),
            )
            for o in fresh
        ]
        # A tick running at the same time may have enrolled some: those are
        # ignored by the unique constraint (and counted here all the same).
        Enrolment.objects.bulk_create(rows, ignore_conflicts=True)
        created += len(rows)
    return created


def _due_at(
    sequence: Sequence, step: SequenceStep, anchor: dt.datetime, zone_name: str
) -> dt.datetime:
    zone = clock.zone(zone_name)
    due = schedule.step_due_at(
        anchor, delay=step.delay, unit=step.delay_unit, zone=zone
    )
    return schedule.after_quiet_hours(
        due, quiet_from=sequence.quiet_from, quiet_until=sequence.quiet_until, zone=zone
    )


def _claim_batch(*, now: dt.datetime, after: int, size: int) -> list[Enrolment]:
    """The next running enrolments of active sequences whose step is due, leased
    for a while so that a second tick at the same time passes them by.

    The active sequences are read first and named by their ids: joined to the
    sequences instead, PostgreSQL sorted every due enrolment after `after` for each
    batch (86 ms a batch half-way through 100,000 enrolments), where walking the
    primary key from `after` stops at the batch's last row (2 ms)."""
    with transaction.atomic():
        active = Sequence.objects.filter(status=Sequence.Status.ACTIVE).values_list(
            "pk", flat=True
        )
        batch = list(
            Enrolment.objects.running()
            .filter(
                AnyOf(F("sequence_id"), list(active)),
                next_due_at__lte=now,
                pk__gt=after,
            )
            .select_related("user", "certificate")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")[:size]
        )
        Enrolment.objects.filter(pk__in=[e.pk for e in batch]).update(
            next_due_at=now + LEASE
        )
    return batch


@dataclass
class _Outgoing:
    """A step's messages for one enrolment, with what its StepSend rows share."""

    enrolment: Enrolment
    step: SequenceStep
    messages: list[Outgoing]


def _advance(
    batch: list[Enrolment],
    *,
    steps: dict[int, list[SequenceStep]],
    people: People,
    now: dt.datetime,
    report: TickReport,
) -> None:
    """Move a batch on by one step each, in a fixed number of queries: its
    contexts read together, its messages claimed, checked against preferences
    and sent together (the e-mails through one connection), then its step
    records and positions written in one transaction."""
    contexts = contexts_for(batch, people=people)
    sends: list[tuple[Any, ...]] = []
    outgoing: list[_Outgoing] = []
    for context in contexts:
        step = _advance_one(context, steps=steps, now=now, report=report)
        if step is None:
            continue
        enrolment = context.enrolment
        if (
            step.only_if_progress_below is not None
            and context.progress >= step.only_if_progress_below
        ):
            sends.append(
                _step_send(enrolment, step, enrolment.user, StepSend.Status.SKIPPED)
            )
            continue
        outgoing.append(_Outgoing(enrolment, step, _messages(context, step)))
    outcomes = iter(
        send_many([message for item in outgoing for message in item.messages])
    )
    for item in outgoing:
        for message in item.messages:
            outcome = next(outcomes)
            if outcome.error is not None:
                report.failed += 1
                sends.append(
                    _step_send(
                        item.enrolment,
                        item.step,
                        message.recipient,
                        StepSend.Status.FAILED,
                        error=str(outcome.error)[:500],
                    )
                )
            elif outcome.sent:
                report.sent += 1
                sent = StepSend.Status.SENT
                sends.append(
                    _step_send(item.enrolment, item.step, message.recipient, sent)
                )
    at = clock.now()
    with transaction.atomic():
        rows_insert(
            StepSend,
            STEP_SEND_ROW,
            [(*send, at) for send in sends],
            ignore_conflicts=True,
        )
        _positions_save(batch)


POSITION = ("next_index", "next_due_at", "exited_at", "exit_reason")


def _positions_save(batch: list[Enrolment]) -> None:
    """Write where each enrolment of the batch now stands, in one statement."""
    rows_update(
        Enrolment,
        POSITION,
        [(e.pk, *(getattr(e, name) for name in POSITION)) for e in batch],
    )


def _advance_one(
    context: Context,
    *,
    steps: dict[int, list[SequenceStep]],
    now: dt.datetime,
    report: TickReport,
) -> SequenceStep | None:
    """Let the person go, hold them through quiet hours, or schedule the step
    after the one due now and return the one due now (to be sent)."""
    enrolment = context.enrolment
    sequence = enrolment.sequence
    zone = clock.zone(enrolment.user.time_zone)
    report.advanced += 1
    if context.goal_met():
        enrolment.exited_at, enrolment.exit_reason = now, Enrolment.Exit.GOAL
        enrolment.next_due_at = None
        report.exited += 1
        return None
    quiet = {"quiet_from": sequence.quiet_from, "quiet_until": sequence.quiet_until}
    if schedule.in_quiet_hours(now, zone=zone, **quiet):
        enrolment.next_due_at = schedule.after_quiet_hours(now, zone=zone, **quiet)
        return None
    sequence_steps = steps[sequence.pk]
    due = None
    if enrolment.next_index < len(sequence_steps):
        due = sequence_steps[enrolment.next_index]
    enrolment.next_index += 1
    if enrolment.next_index >= len(sequence_steps):
        enrolment.exited_at, enrolment.exit_reason = now, Enrolment.Exit.FINISHED
        enrolment.next_due_at = None
    else:
        enrolment.next_due_at = _due_at(
            sequence,
            sequence_steps[enrolment.next_index],
            enrolment.anchor_at,
            enrolment.user.time_zone,
        )
    return due


def recipients(context: Context, step: SequenceStep) -> list[User]:
    """Who the step goes to: the person, their manager, their coach, as chosen;
    each once, active people only."""
    chosen = []
    if step.to_person:
        chosen.append(context.enrolment.user)
    if step.to_manager and context.manager is not None:
        chosen.append(context.manager)
    if step.to_coach and context.coach is not None:
        chosen.append(context.coach)
    unique = {person.pk: person for person in chosen if person.is_active}
    return list(unique.values())


def _messages(context: Context, step: SequenceStep) -> list[Outgoing]:
    """The step's message to each of its recipients, rendered once per language
    among them: the author's words stay as written, the e-mail's frame and the
    dates speak the recipient's language."""
    enrolment = context.enrolment
    by_language: dict[str, Rendered] = {}
    messages = []
    for recipient in recipients(context, step):
        language = recipient.preferred_language
        if language not in by_language:
            with translation.override(language):
                by_language[language] = step_render(context, step)
        rendered = by_language[language]
        messages.append(
            Outgoing(
                recipient=recipient,
                channel=step.channel,
                kind="sequence",
                key=f"sequence-step:{step.pk}:{enrolment.pk}:{recipient.pk}",
                subject=rendered.subject,
                text=rendered.text,
                html=rendered.html,
                url=rendered.url or None,
                required=False,
            )
        )
    return messages


# The columns of a StepSend row: _step_send's values and the time it is written.
STEP_SEND_ROW = (
    "enrolment_id",
    "step_id",
    "sequence_id",
    "channel",
    "recipient_id",
    "status",
    "error",
    "at",
)


def _step_send(
    enrolment: Enrolment,
    step: SequenceStep,
    recipient: User,
    status: str,
    *,
    error: str = "",
) -> tuple[Any, ...]:
    """A StepSend row's values but its time, in the order of STEP_SEND_ROW."""
    return (
        enrolment.pk,
        step.pk,
        enrolment.sequence_id,
        step.channel,
        recipient.pk,
        status,
        error,
    )


def step_render(context: Context, step: SequenceStep) -> Rendered:
    """The step's message for this person: the subject and plain text (which the
    channel that sends it escapes for itself), and an HTML e-mail."""
    values = context.values(step_id=step.pk)
    subject = template.render(step.subject, values, channel="text")
    body_html = template.render(step.message, values, channel="html")
    url = values.get("next_step.url", "")
    html = step_email_html(
        subject=subject,
        # Escaped by the template renderer: markup only from the line breaks.
        paragraphs=[
            mark_safe(paragraph.strip().replace("\n", "<br>"))  # noqa: S308
            for paragraph in body_html.split("\n\n")
            if paragraph.strip()
        ],
        url=url,
        url_label=values.get("next_step.title", ""),
    )
    return Rendered(
        subject=subject,
        text=template.render(step.message, values, channel="text"),
        html=html,
        url=url,
    )


def sequence_pause(*, sequence: Sequence) -> None:
    """Hold every enrolment where it is: nothing is enrolled or sent until resumed."""
    Sequence.objects.filter(pk=sequence.pk).update(status=Sequence.Status.PAUSED)
    sequence.status = Sequence.Status.PAUSED


def sequence_resume(*, sequence: Sequence) -> None:
    """Turn the sequence on (again): steps that fell due meanwhile go out at the
    next tick, one step per person per tick."""
    Sequence.objects.filter(pk=sequence.pk).update(status=Sequence.Status.ACTIVE)
    sequence.status = Sequence.Status.ACTIVE


def sequence_preview(
    *, sequence: Sequence, person: User
) -> list[tuple[SequenceStep, list[User], Rendered]]:
    """Each step as it would reach `person` now, with its recipients (their
    links are tracked as a preview: no enrolment)."""
    enrolment = Enrolment(
        sequence=sequence, user=person, occurrence="preview", anchor_at=clock.now()
    )
    (context,) = contexts_for([enrolment], people=People.load())
    return [
        (step, recipients(context, step), step_render(context, step))
        for step in _steps(sequence)
    ]


def sequence_test_send(*, sequence: Sequence, person: User, to: User) -> int:
    """E-mail `to` (the admin) every step as `person` would get it, marked as a
    test. Returns how many were sent."""
    # Each test is new: a random key, so the notification log never holds one back.
    stamp = secrets.token_hex(8)
    count = 0
    for step, _, rendered in sequence_preview(sequence=sequence, person=person):
        count += send(
            recipient=to,
            channel="email",
            kind="sequence",
            key=f"sequence-test:{step.pk}:{stamp}",
            subject=gettext("[Test] %(subject)s") % {"subject": rendered.subject},
            text=rendered.text,
            html=rendered.html,
            url=rendered.url or None,
            # The admin asked for it: their own notice preferences do not hold it.
            required=True,
        )
    return count


def link_click_record(*, step_id: int, enrolment_id: int | None, path: str) -> bool:
    """Count a click on a tracked link. False when its step no longer exists."""
    step = SequenceStep.objects.filter(pk=step_id).values("sequence_id").first()
    if step is None:
        return False
    known = None
    if enrolment_id is not None and Enrolment.objects.filter(pk=enrolment_id).exists():
        known = enrolment_id
    LinkClick.objects.create(
        sequence_id=step["sequence_id"],
        step_id=step_id,
        enrolment_id=known,
        path=path[:500],
    )
    return True
