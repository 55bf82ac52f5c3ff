from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from coaching.models import Review
from courses.models import Assignment, LessonCompletion
from courses.quizzes.models import QuizAttempt
from dashboards.scale import region_manager_email
from lms.accounts.models import Team, User


def test_it_seeds_consistent_scale_data(db):
    call_command("seed_scale", reps=45, stdout=open("/dev/null", "w"))  # noqa: SIM115
    reps = User.objects.filter(email__startswith="scale-rep-")
    assert reps.count() == 45
    assert Team.objects.filter(name__startswith="Scale team").count() == 3
    assert QuizAttempt.objects.count() == 45 * 5
    assert Review.objects.filter(state="submitted").count() == 45 * 2
    for assignment in Assignment.objects.select_related("path"):
        path_lessons = LessonCompletion.objects.filter(
            user=assignment.user, how="read"
        ).aggregate(n=Count("lesson_id", distinct=True))["n"]
        assert assignment.required_total == 60
        assert assignment.required_done == path_lessons
        assert (assignment.completed_at is not None) == (path_lessons == 60)
    passed = QuizAttempt.objects.filter(passed=True).count()
    assert LessonCompletion.objects.filter(how="quiz").count() == passed
    manager = User.objects.get(email=region_manager_email(1))
    assert manager.is_manager
    assert not Review.objects.filter(~Q(score__gte=1), state="submitted").exists()


def test_it_refuses_to_seed_twice(db):
    call_command("seed_scale", reps=3, stdout=open("/dev/null", "w"))  # noqa: SIM115
    with pytest.raises(CommandError, match="already"):
        call_command("seed_scale", reps=3, stdout=open("/dev/null", "w"))  # noqa: SIM115
