from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coaching.models import Submission
from dashboards.digests import KIND, digest_contexts, manager_digests_send
from dashboards.team import TeamFilters, team_view
from lms.notifications.models import NotificationLog
from tests.dashboards import history

NOW = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)  # a Monday morning


@pytest.fixture
def managers(time_machine, org, onboarding) -> list:
    """The three team managers with people in every section of the digest, writing
    in English, Spanish and Bengali."""
    time_machine.move_to(NOW, tick=False)
    onboarding.assign(org.rep_east, started_days_ago=20)
    onboarding.assign(org.rep_east2, started_days_ago=2)
    onboarding.assign(org.rep_west, started_days_ago=9)
    onboarding.assign(org.rep_north, started_days_ago=30)
    waiting = history.review(org.rep_east2, org.east_coach, score="3.00")
    Submission.objects.filter(pk=waiting.take.submission_id).update(
        state=Submission.State.REQUESTED, title="Pricing call with Initech"
    )
    history.certificate(org.east_coach, expires_in_days=12)
    for manager, language in (
        (org.region_manager, "es"),
        (org.east_manager, ""),
        (org.emea_manager, "bn"),
    ):
        manager.language = language
        manager.time_zone = "UTC"
        manager.save()
    return [org.region_manager, org.east_manager, org.emea_manager]


def _digests(manager_ids: list[int] | None = None) -> dict[str, tuple]:
    """Send the digests afresh; each recipient's subject, text, HTML and headers."""
    mail.outbox = []
    NotificationLog.objects.filter(kind=KIND).delete()
    manager_digests_send(now=NOW, manager_ids=manager_ids)
    return {
        message.to[0]: (
            message.subject,
            message.body,
            message.alternatives[0][0],
            message.extra_headers,
        )
        for message in mail.outbox
    }


def test_a_batch_sends_each_manager_exactly_the_digest_they_get_alone(managers):
    together = _digests()
    alone = {}
    for manager in managers:
        alone.update(_digests([manager.pk]))
    assert set(together) == {manager.email for manager in managers}
    assert together == alone
    assert together[managers[0].email][0].startswith("Tu equipo esta semana")
    assert together[managers[1].email][0].startswith("Your team this week")


def test_each_digest_lists_the_managers_people_as_my_team_does(managers):
    contexts = digest_contexts(managers=managers, now=NOW)
    for manager in managers:
        rows = team_view(
            viewer=manager, filters=TeamFilters(sort="-overdue"), now=NOW
        ).rows
        context = contexts[manager.pk]
        assert context["people_count"] == len(rows)
        for section, listed in (
            ("overdue", [row for row in rows if row.overdue]),
            ("due_soon", [row for row in rows if row.due_soon]),
            ("expiring", [row for row in rows if row.has_status("expiring")]),
        ):
            assert [row.person.pk for row in context[section]] == [
                row.person.pk for row in listed
            ]
        waiting = [
            submission.rep_id
            for submission in Submission.objects.pending()
            .filter(rep_id__in=[row.person.pk for row in rows])
            .order_by("due_at", "pk")
        ]
        assert [submission.rep_id for submission in context["waiting"]] == waiting


def test_a_batch_reads_its_figures_in_as_many_queries_as_one_manager(managers):
    # Roles and the path's structure are cached (per person, for everyone): read
    # them first, so that both counts are of the figures alone.
    digest_contexts(managers=managers, now=NOW)
    with CaptureQueriesContext(connection) as one:
        digest_contexts(managers=managers[1:2], now=NOW)
    with CaptureQueriesContext(connection) as three:
        digest_contexts(managers=managers, now=NOW)
    assert len(three) == len(one)
