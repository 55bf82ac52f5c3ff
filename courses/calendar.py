"""Assigned training on a calendar: the due date as a whole-day event.

The e-mails about an assignment carry it as an .ics file, and the calendar feeds of
the layers above list the same event (same UID), so the two never disagree.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from courses.models import Assignment
from lms.lib import clock
from lms.lib.ics import CalendarEvent, event_uid
from lms.lib.urls import absolute_url


def assignment_event(assignment: Assignment) -> CalendarEvent | None:
    """The assignment's due day, in its person's time zone; None without a due date.
    The person's `time_zone` must be loaded (select_related("user"))."""
    due_day = clock.local_date(assignment.due_at, assignment.user.time_zone)
    if due_day is None:
        return None
    # In the person's language, whoever asks: an event reads the same every time.
    with translation.override(assignment.user.preferred_language):
        return CalendarEvent(
            uid=event_uid("assignment", assignment.pk),
            summary=_("Due: %(title)s") % {"title": assignment.title},
            start=due_day,
            description=_("Assigned training for %(name)s.")
            % {"name": assignment.user.full_name},
            url=absolute_url("my_learning"),
        )
