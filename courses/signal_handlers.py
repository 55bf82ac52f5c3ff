"""What courses does when other parts of Onramp announce something."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from courses import services
from courses.models import CoursePage, LessonPage


def assign_paths_on_team_change(sender: Any, user: Any, **kwargs: Any) -> None:
    """A rep who joins or moves team gets the paths the rules give that team."""
    services.paths_assign_by_rules(user=user)


def recount_on_lesson_change(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Publishing or unpublishing a step (a lesson of any kind: reading, quiz,
    practice, SCORM) changes how many its course requires."""
    if not isinstance(instance, LessonPage):
        return
    course = CoursePage.objects.filter(pk=instance.get_parent().pk).first()
    if course is not None:
        transaction.on_commit(lambda: services.assignments_recount(course=course))
