"""The database connection is lost in the middle of a quiz submission (issue 12,
item 4): the person gets a clear error and nothing is half-stored; submitting again
lands the whole submission.

The loss is real: PostgreSQL's pg_terminate_backend ends this test's own server
process while the submission's transaction is open, as a server restart or a
dropped connection does for one request. Restarting the whole server would cut off
everyone else's databases on a shared machine, so the test ends only its own
connection. SQLite has no server to lose, so the test is skipped there.
"""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from courses.models import LessonCompletion
from courses.quizzes import services
from courses.quizzes.models import QuizAttempt
from courses.quizzes.views import DATABASE_LOST
from tests.quizzes.test_views import _right_form

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs a PostgreSQL server whose connection the test can end; "
        "SQLite has none (runs in CI)",
    ),
]


@pytest.fixture(autouse=True)
def _reset(reset_without_post_migrate: None) -> None:
    """Each test starts from what the migrations made."""


def _end_this_connection() -> None:
    """End the test's own PostgreSQL server process from a second connection."""
    pid = connection.connection.info.backend_pid
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or "localhost",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_it_stores_nothing_when_the_connection_is_lost_mid_submit_and_all_on_retry(
    client, org, quiz_kit, monkeypatch
):
    client.force_login(org.rep_east)
    client.post(reverse("quiz_start", args=[quiz_kit.quiz.pk]))
    attempt = QuizAttempt.objects.get(user=org.rep_east)
    answers = _right_form(attempt)
    grade = services._close_and_grade

    def lose_the_connection_then_grade(*args, **kwargs):
        # The answers sent with the submit are already written in this transaction.
        _end_this_connection()
        return grade(*args, **kwargs)

    monkeypatch.setattr(services, "_close_and_grade", lose_the_connection_then_grade)
    lost = client.post(reverse("quiz_attempt_submit", args=[attempt.pk]), answers)

    assert lost.status_code == 503
    assert lost.content.decode() == DATABASE_LOST
    assert lost["Retry-After"] == "5"
    connection.close()  # the test client keeps the dead connection; a server would not
    attempt.refresh_from_db()
    assert (attempt.state, attempt.score, attempt.closed_at) == (
        "in_progress",
        None,
        None,
    )
    assert all(item.response is None for item in attempt.questions.all())
    assert not LessonCompletion.objects.filter(user=org.rep_east).exists()

    monkeypatch.setattr(services, "_close_and_grade", grade)
    again = client.post(reverse("quiz_attempt_submit", args=[attempt.pk]), answers)

    assert again.url == reverse("quiz_attempt_result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.state == "submitted" and attempt.passed
    assert all(item.response is not None for item in attempt.questions.all())
    assert LessonCompletion.objects.filter(
        user=org.rep_east, lesson=quiz_kit.quiz
    ).exists()
