"""Automation in Spanish and Bengali: the notification preferences, the calendar
feed (in its owner's language: nobody signs in to read it) and the digest's
subject (in the recipient's language, whoever sends it)."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from automation.calendars import calendar_feed_for
from automation.notice_kinds import digest_subject
from automation.sequences.models import DelayUnit, Trigger
from automation.sequences.services import sequences_tick
from certificates.models import Certificate
from tests.automation.sequence_helpers import make_sequence
from tests.factories import make_program

pytestmark = pytest.mark.django_db


def _speaks(person, language: str) -> None:
    person.language = language
    person.save(update_fields=["language"])


@pytest.mark.parametrize(
    ("language", "heading", "kind", "timing"),
    [
        (
            "es",
            "<h1>Preferencias de notificación</h1>",
            "Formación vencida",
            "Consejos y recordatorios: cuándo",
        ),
        (
            "bn",
            "<h1>নোটিফিকেশনের পছন্দ</h1>",
            "প্রশিক্ষণের সময় পেরিয়ে গেছে",
            "টিপস ও রিমাইন্ডার: কখন",
        ),
    ],
)
def test_the_notification_preferences_read_in_the_persons_language(
    client, org, language, heading, kind, timing
):
    _speaks(org.rep_east, language)
    client.force_login(org.rep_east)

    page = client.get(reverse("notice_preferences")).text

    assert f'<html lang="{language}"' in page
    assert heading in page
    assert kind in page  # a notice kind, registered lazily by the app
    assert timing in page  # a field label built from two translated parts
    assert "Notification preferences" not in page


@pytest.mark.parametrize(
    ("language", "heading"),
    [("es", "<h1>Feed de calendario</h1>"), ("bn", "<h1>ক্যালেন্ডার ফিড</h1>")],
)
def test_the_calendar_settings_read_in_the_persons_language(
    client, org, language, heading
):
    _speaks(org.rep_east, language)
    client.force_login(org.rep_east)

    page = client.get(reverse("calendar_settings")).text

    assert heading in page
    assert "Calendar feed" not in page


def test_the_feed_names_its_events_in_the_owners_language(client, org, time_machine):
    time_machine.move_to("2026-11-23 09:00Z", tick=False)
    program = make_program("Certified Discovery Seller", [])
    Certificate.objects.create(
        program=program,
        user=org.rep_east,
        serial="2026-0001",
        verification_code="abc",
        holder_name=org.rep_east.full_name,
        program_title=program.title,
        expires_at=dt.datetime(2027, 1, 15, 12, tzinfo=dt.UTC),
    )
    _speaks(org.rep_east, "es")
    token = calendar_feed_for(user=org.rep_east).token

    # The reader's browser language does not count: the feed is its owner's.
    response = client.get(
        reverse("calendar_feed", args=[token]), headers={"accept-language": "bn"}
    )

    calendar = icalendar.Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Vence el certificado: Certified Discovery Seller"


def test_the_digest_subject_is_in_the_recipients_language(org):
    day = dt.date(2026, 11, 24)
    _speaks(org.rep_east, "es")

    with translation.override("bn"):  # the sender's language does not count
        assert (
            digest_subject(user=org.rep_east, day=day)
            == "Tus avisos del 24 de noviembre"
        )
    assert digest_subject(user=org.east_coach, day=day) == (
        "Your notices of 24 November"
    )


def test_a_sequence_step_reaches_each_recipient_in_their_own_language(
    org, time_machine
):
    time_machine.move_to(dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC), tick=False)
    _speaks(org.rep_east, "bn")
    make_sequence(
        [
            {
                "delay": 0,
                "delay_unit": DelayUnit.DAYS,
                "to_manager": True,
                "subject": "Renew, {{ first_name }}",
                "message": "Your certificate expires soon.",
            }
        ],
        trigger=Trigger.CERTIFICATE_EXPIRING,
        trigger_days=30,
    )
    Certificate.objects.create(
        program=make_program("Certified Discovery Seller", []),
        user=org.rep_east,
        cycle=1,
        serial="NW-1",
        verification_code="code-1",
        holder_name=org.rep_east.full_name,
        program_title="Certified Discovery Seller",
        issued_at=dt.datetime(2025, 12, 20, tzinfo=dt.UTC),
        expires_at=dt.datetime(2026, 12, 20, 15, 0, tzinfo=dt.UTC),
    )

    sequences_tick()

    html = {m.to[0]: m.alternatives[0][0] for m in mail.outbox}
    # The author's words as written; the e-mail around them in each one's language.
    assert '<html lang="bn">' in html[org.rep_east.email]
    assert '<html lang="en">' in html[org.east_manager.email]
    assert all("Your certificate expires soon." in body for body in html.values())
