"""Enablement admins write sequences in the Wagtail admin, preview them for a
person, send themselves a test, pause and resume, and read the analytics (with a
CSV); tracked links count clicks and never leave the site."""

from __future__ import annotations

import csv
import datetime as dt
import io
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.urls import reverse

from automation.sequences import links
from automation.sequences.models import (
    Enrolment,
    LinkClick,
    Sequence,
    StepSend,
    Trigger,
)
from automation.sequences.services import sequences_tick
from courses import services as course_services
from courses.models import Assignment
from tests.automation.sequence_helpers import make_sequence
from tests.factories import CoursePageFactory, LessonPageFactory

pytestmark = pytest.mark.django_db

ADD_URL = "wagtailsnippets_automation_sequence:add"
NOW = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(NOW, tick=False)


def _form(**more: str) -> dict[str, str]:
    data = {
        "name": "First week",
        "status": "draft",
        "trigger": "start_date",
        "trigger_days": "0",
        "counts_from": "2026-11-23 00:00",
        "role": "rep",
        "progress_below": "",
        "exit_condition": "training_complete",
        "quiet_from": "20:00",
        "quiet_until": "08:00",
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "1",
        "steps-MAX_NUM_FORMS": "1000",
        "steps-0-delay": "0",
        "steps-0-delay_unit": "business_days",
        "steps-0-channel": "email",
        "steps-0-to_person": "on",
        "steps-0-only_if_progress_below": "",
        "steps-0-subject": "Welcome, {{ first_name }}",
        "steps-0-message": "Start with {{ next_step.title }}: {{ next_step.url }}",
        "steps-0-ORDER": "1",
        "steps-0-DELETE": "",
        "steps-0-id": "",
    }
    data.update(more)
    return data


def test_an_admin_writes_a_sequence_in_the_wagtail_admin(client, org):
    client.force_login(org.admin)
    response = client.post(reverse(ADD_URL), _form())
    assert response.status_code == 302, response.content.decode()[:3000]
    sequence = Sequence.objects.get(name="First week")
    assert [step.subject for step in sequence.steps.all()] == [
        "Welcome, {{ first_name }}"
    ]


def test_the_admin_refuses_a_message_that_reaches_for_the_password(client, org):
    client.force_login(org.admin)
    response = client.post(
        reverse(ADD_URL), _form(**{"steps-0-message": "{{ person.password }}"})
    )
    assert response.status_code == 200
    assert "Unknown variable {{ person.password }}." in response.content.decode()
    assert not Sequence.objects.exists()


@pytest.mark.parametrize("person", ["rep_east", "east_manager"])
def test_it_keeps_everyone_else_out_of_the_sequences(client, org, person):
    sequence = make_sequence([{}], trigger=Trigger.START_DATE)
    client.force_login(org[person])
    assert client.get(reverse(ADD_URL)).status_code == 302
    detail = reverse("sequences_admin:detail", args=[sequence.pk])
    assert client.get(detail).status_code in (302, 403)
    toggle = reverse("sequences_admin:toggle", args=[sequence.pk])
    client.post(toggle)
    sequence.refresh_from_db()
    assert sequence.status == Sequence.Status.ACTIVE


@pytest.fixture
def welcome(org):
    course = CoursePageFactory(title="Discovery calls")
    LessonPageFactory(parent=course, title="Why <discovery> & more")
    sequence = make_sequence(
        [
            {
                "subject": "Welcome, {{ first_name }}",
                "message": "Start with {{ next_step.title }}: {{ next_step.url }}",
                "to_manager": True,
            }
        ],
        name="Welcome",
        trigger=Trigger.ASSIGNMENT_CREATED,
        status=Sequence.Status.DRAFT,
    )
    course_services.assignment_create(
        user=org.rep_east, course=course, reason=Assignment.Reason.MANUAL
    )
    return sequence


def test_the_preview_shows_the_message_for_the_chosen_person(client, org, welcome):
    client.force_login(org.admin)
    response = client.get(
        reverse("sequences_admin:detail", args=[welcome.pk]),
        {"person": org.rep_east.pk},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Welcome, Rae" in html
    assert "Start with Why &lt;discovery&gt; &amp; more" in html
    assert "Rae East, Ed East" in html


def test_send_a_test_to_me_emails_the_admin_and_not_the_person(client, org, welcome):
    client.force_login(org.admin)
    response = client.post(
        reverse("sequences_admin:test", args=[welcome.pk]),
        {"person": org.rep_east.pk},
    )
    assert response.status_code == 302
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([org.admin.email], "[Test] Welcome, Rae")
    ]
    client.post(
        reverse("sequences_admin:test", args=[welcome.pk]), {"person": org.rep_east.pk}
    )
    assert len(mail.outbox) == 2


def test_turning_on_pausing_and_resuming(client, org, welcome):
    client.force_login(org.admin)
    toggle = reverse("sequences_admin:toggle", args=[welcome.pk])
    sequences_tick()
    assert mail.outbox == []

    client.post(toggle)
    welcome.refresh_from_db()
    assert welcome.status == Sequence.Status.ACTIVE
    client.post(toggle)
    welcome.refresh_from_db()
    assert welcome.status == Sequence.Status.PAUSED
    sequences_tick()
    assert mail.outbox == []
    client.post(toggle)
    sequences_tick()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [org.rep_east.email, org.east_manager.email]
    )


def test_a_tracked_link_counts_the_click_and_goes_to_the_lesson(client, org, welcome):
    Sequence.objects.filter(pk=welcome.pk).update(status=Sequence.Status.ACTIVE)
    sequences_tick()
    body = next(m.body for m in mail.outbox if m.to == [org.rep_east.email])
    url = body.split(": ", 1)[1].strip()
    assert url.startswith("http") and "/go/" in url

    response = client.get(urlsplit(url).path)

    assert response.status_code == 302
    assert response["Location"] == "/courses/discovery-calls/why-discovery-more/"
    click = LinkClick.objects.get()
    assert click.enrolment == Enrolment.objects.get(user=org.rep_east)


@pytest.mark.parametrize(
    "path", ["//evil.example/", "https://evil.example/", "/\\evil.example", "x"]
)
def test_a_tracked_link_never_leaves_the_site(client, welcome, path):
    step = welcome.steps.get()
    with pytest.raises(ValueError):
        links.tracked_url(step_id=step.pk, enrolment_id=None, path=path)
    # Even a correctly signed token naming such a place is refused.
    token = signing.dumps([step.pk, None, path], salt=links.SALT, compress=True)
    response = client.get(reverse("sequence_link", args=[token]))
    assert response.status_code == 404
    assert not LinkClick.objects.exists()


def test_a_forged_link_is_not_found(client):
    response = client.get(reverse("sequence_link", args=["not-a-token"]))
    assert response.status_code == 404


def test_the_analytics_count_steps_channels_goals_and_clicks_with_a_csv(
    client, org, welcome
):
    Sequence.objects.filter(pk=welcome.pk).update(status=Sequence.Status.ACTIVE)
    sequences_tick()
    step = welcome.steps.get()
    client.get(
        reverse(
            "sequence_link",
            args=[
                signing.dumps(
                    [step.pk, None, "/courses/"], salt=links.SALT, compress=True
                )
            ],
        )
    )
    client.force_login(org.admin)

    page = client.get(reverse("sequences_admin:detail", args=[welcome.pk]))
    assert "Enrolled 1" in page.content.decode()
    export = client.get(reverse("sequences_admin:csv", args=[welcome.pk]))
    rows = list(csv.reader(io.StringIO(export.content.decode())))

    assert rows[0] == [
        "step",
        "subject",
        "channel",
        "waiting",
        "sent",
        "failed",
        "skipped",
        "clicks",
    ]
    assert rows[1] == [
        "1",
        "Welcome, {{ first_name }}",
        "email",
        "0",
        "2",
        "0",
        "0",
        "1",
    ]
    assert ["enrolled", "1"] == rows[2][:2]
    assert StepSend.objects.count() == 2
