"""xAPI statements sent by a real Celery worker process, after commit."""

from __future__ import annotations

import pytest

from courses.services import lesson_complete
from integrations.models import LrsEndpoint, XapiDelivery
from tests.factories import CoursePageFactory, LessonPageFactory, RepFactory
from tests.integrations.lrs_stand_in import Lrs

pytestmark = pytest.mark.worker


def test_the_worker_sends_a_statement_to_the_lrs(celery_worker):
    lrs = Lrs(200)
    try:
        LrsEndpoint.objects.create(name="LRS", url=lrs.url)
        course = CoursePageFactory(title="Discovery calls")
        lesson = LessonPageFactory(parent=course, title="Why discovery")
        rep = RepFactory(full_name="Rae East")

        lesson_complete(user=rep, lesson=lesson, how="read")

        delivered = celery_worker.wait_for(
            lambda: XapiDelivery.objects.filter(delivered_at__isnull=False).first(),
            timeout=60,
            what="the statement's delivery",
        )
        assert delivered.attempts == 1
        (request,) = lrs.requests
        assert request["body"]["verb"]["id"] == (
            "http://adlnet.gov/expapi/verbs/completed"
        )
        assert request["body"]["actor"]["name"] == "Rae East"
    finally:
        lrs.close()
