"""A tick renders a step's e-mail frame once per language and fills it in for each
person (automation.sequences.frame), and signs its links with one keyed signer
(lms.lib.signing): every message must still be exactly what Django's template
engine and `signing.dumps` make for that person, in their language, with links
that verify."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core import mail, signing
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from automation.sequences import template
from automation.sequences.context import People, contexts_for
from automation.sequences.frame import TEMPLATE, step_email_html
from automation.sequences.links import Link, link_from
from automation.sequences.models import Enrolment, SequenceStep, Trigger
from automation.sequences.services import sequences_tick
from courses import services as course_services
from courses.models import Assignment
from lms.lib.signing import signed
from lms.lib.urls import token_url
from lms.notifications.preferences import UNSUBSCRIBE_SALT
from tests.automation.sequence_helpers import make_sequence
from tests.factories import CoursePageFactory, LessonPageFactory, RepFactory

pytestmark = pytest.mark.django_db

HOSTILE = '<b>O\'Brien & "Co"</b>'
MESSAGE = (
    "Hi {{ first_name }},\n\nNext: {{ next_step.title }} {{ next_step.url }}\n"
    "{{ course.title }} is due {{ due_date }}.\n\n{{ manager.name }} cheers you on."
)


def _template_render(*, subject, paragraphs, url, url_label) -> str:
    """The e-mail as Django's template engine renders it: the per-message path."""
    return render_to_string(
        TEMPLATE,
        {
            "subject": subject,
            "paragraphs": paragraphs,
            "organisation": settings.ORGANISATION_NAME,
            "site_url": settings.SITE_URL,
            "url": url,
            "url_label": url_label,
        },
    )


@pytest.mark.parametrize("language", ["en", "es", "bn"])
@pytest.mark.parametrize("count", [0, 1, 3])
@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("", ""),
        ("https://x.example/go/a?b=1&c=2", ""),
        ("https://x.example/go/a", HOSTILE),
    ],
)
def test_the_filled_frame_is_what_the_template_renders(language, count, url, label):
    paragraphs = [mark_safe(f"Line {n} &amp; &lt;i&gt;<br>more") for n in range(count)]

    with translation.override(language):
        filled = step_email_html(
            subject=HOSTILE, paragraphs=paragraphs, url=url, url_label=label
        )
        rendered = _template_render(
            subject=HOSTILE, paragraphs=paragraphs, url=url, url_label=label
        )

    assert filled == rendered
    assert f'<html lang="{language}">' in filled


def test_the_frame_follows_the_organisation_and_site_settings(settings):
    values = {"subject": "Hi", "paragraphs": [], "url": "", "url_label": ""}
    before = step_email_html(**values)
    settings.ORGANISATION_NAME = "Acme & <Sons>"
    settings.SITE_URL = "https://learn.acme.example"

    after = step_email_html(**values)

    assert after != before
    assert after == _template_render(**values)
    assert "Acme &amp; &lt;Sons&gt;" in after


def test_signed_tokens_are_what_signing_dumps_makes_and_loads_reads(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC), tick=False)
    for value, salt, compress in [
        ([3, 12345, "/courses/a/lesson/"], "automation.sequences.link", True),
        ([7, "sequence"], UNSUBSCRIBE_SALT, False),
        ("x" * 300, "another", True),
    ]:
        token = signed(value, salt=salt, compress=compress)

        assert token == signing.dumps(value, salt=salt, compress=compress)
        assert signing.loads(token, salt=salt) == value
        with pytest.raises(signing.BadSignature):
            signing.loads(token, salt=salt + ".other")


def test_signed_tokens_follow_a_changed_secret_key(settings):
    before = signed([1], salt="s")
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"

    after = signed([1], salt="s")

    assert after != before
    assert signing.loads(after, salt="s") == [1]


def _speaks(person, language: str) -> None:
    person.language = language
    person.save(update_fields=["language"])


def test_a_tick_sends_each_person_what_the_per_message_path_rendered(org, time_machine):
    # Frozen: the links' signatures carry the time, so both paths sign alike.
    time_machine.move_to(dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC), tick=False)
    course = CoursePageFactory(title="Discovery & <calls>")
    lesson = LessonPageFactory(parent=course, title='Open "questions"')
    people = [
        RepFactory(team=org.east, full_name=f"Rae {HOSTILE} {n}", start_date=None)
        for n in range(4)
    ]
    for person, language in zip(people, ["en", "es", "en", "es"], strict=True):
        _speaks(person, language)
        course_services.assignment_create(
            user=person,
            course=course,
            reason=Assignment.Reason.MANUAL,
            due_at=dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC),
        )
    _speaks(org.east_manager, "es")
    sequence = make_sequence(
        [
            {
                "delay": 0,
                "to_manager": True,
                "subject": "{{ first_name }}: {{ next_step.title }}",
                "message": MESSAGE,
            }
        ],
        trigger=Trigger.ASSIGNMENT_CREATED,
        course=course,
    )
    step = SequenceStep.objects.get(sequence=sequence)

    sequences_tick()

    assert len(mail.outbox) == 8  # each person and, for each, their manager
    sent = {(message.to[0], _enrolment_of(message)): message for message in mail.outbox}
    for enrolment in Enrolment.objects.filter(sequence=sequence):
        (context,) = contexts_for([enrolment], people=People.load())
        for recipient in (enrolment.user, org.east_manager):
            message = sent[recipient.email, enrolment.pk]
            with translation.override(recipient.preferred_language):
                values = context.values(step_id=step.pk)
                subject = template.render(step.subject, values, channel="text")
                body_html = template.render(step.message, values, channel="html")
                expected_html = _template_render(
                    subject=subject,
                    paragraphs=[
                        mark_safe(p.strip().replace("\n", "<br>"))
                        for p in body_html.split("\n\n")
                        if p.strip()
                    ],
                    url=values["next_step.url"],
                    url_label=values["next_step.title"],
                )
            assert message.subject == subject
            assert message.body == template.render(step.message, values, channel="text")
            assert message.alternatives[0][0] == expected_html
            unsubscribe = signing.dumps(
                [recipient.pk, "sequence"], salt=UNSUBSCRIBE_SALT
            )
            assert message.extra_headers["List-Unsubscribe"] == (
                f"<{token_url('notice_unsubscribe', unsubscribe)}>"
            )
            assert _link_of(message) == Link(
                step.pk, enrolment.pk, lesson.relative_url(None)
            )
    # Both languages were written: the frame's and the due date's words.
    assert any("diciembre" in message.body for message in mail.outbox)
    assert any("December" in message.body for message in mail.outbox)


def _link_of(message) -> Link | None:
    token = re.search(r"/go/([^\"\s<]+)", message.body)
    return link_from(token.group(1)) if token else None


def _enrolment_of(message) -> int | None:
    link = _link_of(message)
    return link.enrolment_id if link else None
