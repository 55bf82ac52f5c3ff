"""Notices sent once: claimed before sending, released when sending fails."""

from __future__ import annotations

import smtplib
from unittest import mock

import pytest
from django.core import mail

from lms.notifications.models import NotificationLog
from lms.notifications.services import notice_record, notify_once
from tests.templates import with_templates

pytestmark = pytest.mark.django_db

NOTICE_TEMPLATES = {
    "tests/notice.txt": "{% autoescape off %}Hello {{ name }}, see "
    "{{ site_url }}/learning/{% endautoescape %}",
    "tests/notice.html": '{% extends "notifications/email_base.html" %}'
    "{% block content %}<p>Hello {{ name }}, see "
    '<a href="{{ site_url }}/learning/">My learning</a></p>{% endblock %}',
}


@pytest.fixture(autouse=True)
def _notice_templates(settings):
    """A notice template of the tests' own, beside the apps' templates."""
    settings.SITE_URL = "https://learn.example.com"
    with_templates(settings, NOTICE_TEMPLATES)


def _notify(user, *, kind="test", key="thing:1"):
    return notify_once(
        user=user,
        kind=kind,
        key=key,
        subject="Something happened",
        template="tests/notice",
        context={"name": "Ann <& Co>"},
    )


def test_it_sends_a_notice_once_per_person_kind_and_key(user_factory):
    ann, bob = user_factory(), user_factory()

    assert _notify(ann) is True
    assert _notify(ann) is False
    assert _notify(ann, key="thing:2") is True
    assert _notify(ann, kind="other") is True
    assert _notify(bob) is True

    assert [message.to for message in mail.outbox] == [
        [ann.email],
        [ann.email],
        [ann.email],
        [bob.email],
    ]
    assert NotificationLog.objects.count() == 4


def test_it_sends_a_text_part_and_an_html_part_with_absolute_links(
    user_factory, settings
):
    _notify(user_factory())

    (message,) = mail.outbox
    assert message.subject == "Something happened"
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.body == "Hello Ann <& Co>, see https://learn.example.com/learning/"
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert '<html lang="en">' in html
    assert "<title>Something happened</title>" in html
    assert "Hello Ann &lt;&amp; Co&gt;" in html
    assert 'href="https://learn.example.com/learning/"' in html


def test_it_withdraws_the_claim_when_sending_fails_so_a_later_run_sends(
    user_factory,
):
    ann = user_factory()
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=smtplib.SMTPServerDisconnected(
                "Connection unexpectedly closed"
            ),
        ),
        pytest.raises(smtplib.SMTPServerDisconnected),
    ):
        _notify(ann)
    assert not NotificationLog.objects.exists()

    assert _notify(ann) is True
    assert len(mail.outbox) == 1


def test_it_sends_nothing_for_a_notice_that_another_email_gave(user_factory):
    ann = user_factory()

    assert notice_record(user=ann, kind="test", key="thing:1") is True
    assert notice_record(user=ann, kind="test", key="thing:1") is False
    assert _notify(ann) is False
    assert mail.outbox == []
