"""Events announced once per resource (the AnnouncedEvent row makes sure), found by
listening or by a periodic scan: an assignment's completion and its going overdue."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.models import Assignment
from integrations.models import AnnouncedEvent
from integrations.webhooks import events
from integrations.webhooks.services import event_after_commit

# Overdue assignments and completions older than this when first seen (at install,
# or after an outage longer than this) are not announced.
LOOK_BACK = dt.timedelta(days=2)


def announce_once(event_type: str, resource_id: int) -> bool:
    """Record the announcement; False if it was made before."""
    try:
        with transaction.atomic():
            AnnouncedEvent.objects.create(
                event_type=event_type, resource_id=resource_id
            )
    except IntegrityError:
        return False
    return True


def _person_of(data: dict[str, object]) -> list[int]:
    person = data.get("person")
    return [person] if isinstance(person, int) else []


def assignment_announce(event_type: str, assignment_id: int) -> None:
    if announce_once(event_type, assignment_id):
        event_after_commit(
            event_type, assignment_id, events.assignment_data, subjects=_person_of
        )


def assignments_announce(*, now: dt.datetime | None = None) -> int:
    """Hourly: announce assignments that went overdue, and completions made without
    a "course completed" (a recount after lessons changed)."""
    now = now or timezone.now()
    count = 0
    overdue = Assignment.objects.filter(
        completed_at__isnull=True,
        unassigned_at__isnull=True,
        due_at__lt=now,
        due_at__gte=now - LOOK_BACK,
    ).values_list("pk", flat=True)
    for assignment_id in overdue:
        if announce_once("assignment.overdue", assignment_id):
            event_after_commit(
                "assignment.overdue",
                assignment_id,
                events.assignment_data,
                subjects=_person_of,
            )
            count += 1
    completed = Assignment.objects.filter(
        completed_at__gte=now - LOOK_BACK
    ).values_list("pk", flat=True)
    for assignment_id in completed:
        if announce_once("assignment.completed", assignment_id):
            event_after_commit(
                "assignment.completed",
                assignment_id,
                events.assignment_data,
                subjects=_person_of,
            )
            count += 1
    return count
