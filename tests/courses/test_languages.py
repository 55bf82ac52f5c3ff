"""Courses in the person's language: My learning, the catalogue, a course and a
lesson page, the assignment form, and the reminders, in Spanish and Bengali, with
English still the default."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse

from courses import services
from courses.models import Assignment
from courses.reminders import reminders_send

pytestmark = pytest.mark.django_db


def _speaking(user, language: str):
    user.language = language
    user.save(update_fields=["language"])
    return user


@pytest.mark.parametrize(
    ("language", "heading", "lock", "status", "english_lock"),
    [
        (
            "es",
            "<h1>Mi aprendizaje</h1>",
            "Se abre cuando completes «Discovery calls».",
            "Sin empezar",
            "Opens when you complete",
        ),
        (
            "bn",
            "<h1>আমার শেখা</h1>",
            "“Discovery calls” সম্পন্ন করলে খুলবে।",
            "শুরু হয়নি",
            "Opens when you complete",
        ),
    ],
)
def test_my_learning_speaks_the_browsers_language_even_from_the_cached_state(
    client, org, path_with_steps, language, heading, lock, status, english_lock
):
    services.assignment_create(
        user=org.rep_east, path=path_with_steps, reason=Assignment.Reason.ONBOARDING
    )
    client.force_login(org.rep_east)
    english = client.get(reverse("my_learning")).content.decode()
    assert "<h1>My learning</h1>" in english
    assert english_lock in english

    # The person's progress stays cached with its lock reason (nothing of theirs
    # changed): the browser asks for another language, and the reason follows.
    page = client.get(
        reverse("my_learning"), headers={"Accept-Language": language}
    ).content.decode()

    assert heading in page
    assert lock in page
    assert status in page
    assert english_lock not in page


@pytest.mark.parametrize(
    ("language", "steps", "enrol", "optional", "card"),
    [
        ("es", "Pasos", "Añadir a Mi aprendizaje", "opcional", "4 lecciones · unos"),
        ("bn", "ধাপ", "আমার শেখা-য় যোগ করুন", "ঐচ্ছিক", "৪টি পাঠ · প্রায়"),
    ],
)
def test_the_catalogue_and_a_course_speak_spanish_and_bengali(
    client, org, catalogue, language, steps, enrol, optional, card
):
    client.force_login(_speaking(org.rep_east, language))

    index = client.get(catalogue.index.url).content.decode()
    course = client.get(catalogue.course.url).content.decode()

    assert card in index
    assert f'<h2 id="outline-heading">{steps}</h2>' in course
    assert enrol in course
    assert f'<span class="badge">{optional}</span>' in course
    assert "Add to My learning" not in course


def test_a_video_lesson_speaks_spanish_and_loads_the_script_catalogue_first(
    client, org, catalogue
):
    client.force_login(_speaking(org.rep_east, "es"))

    page = client.get(catalogue.video_lesson.url).content.decode()

    assert "Mira el vídeo para completar esta lección." in page
    assert page.index(reverse("javascript_catalog")) < page.index(
        "courses/lesson-video.js"
    )


def test_the_assignment_form_refuses_in_bengali(client, org):
    client.force_login(_speaking(org.east_manager, "bn"))

    page = client.post(reverse("assignment_new"), {"people": [org.rep_east.pk]})

    assert page.status_code == 200
    assert "<h1>প্রশিক্ষণ দিন</h1>" in page.content.decode()
    assert "একটি পথ অথবা একটি কোর্স বেছে নিন।" in page.content.decode()


@pytest.mark.parametrize(
    ("language", "subject", "when"),
    [
        (
            "es",
            "Nueva formación para ti: «Discovery calls»",
            "Vence el viernes 4 de diciembre.",
        ),
        (
            "bn",
            "আপনার জন্য নতুন প্রশিক্ষণ: “Discovery calls”",
            "শেষ তারিখ শুক্রবার, ৪ ডিসেম্বর।",
        ),
    ],
)
def test_a_reminder_goes_out_in_the_recipients_language(
    time_machine, org, catalogue, language, subject, when
):
    rep = _speaking(org.rep_east, language)
    time_machine.move_to(dt.datetime(2026, 11, 23, 8, tzinfo=dt.UTC), tick=False)
    due = dt.datetime(2026, 12, 4, 23, 59, 59, tzinfo=zoneinfo.ZoneInfo(rep.time_zone))
    services.assignment_create(
        user=rep,
        course=catalogue.course,
        reason=Assignment.Reason.MANUAL,
        assigned_by=org.east_manager,  # who writes in English
        due_at=due,
    )

    reminders_send()

    notice = next(m for m in mail.outbox if m.subject == subject)
    assert when in notice.body
    assert "Ed East" in notice.body


def test_a_bengali_reminder_and_digest_end_their_sentences_with_the_dari(
    time_machine, org, catalogue
):
    rep = _speaking(org.rep_east, "bn")
    time_machine.move_to(dt.datetime(2026, 11, 23, 8, tzinfo=dt.UTC), tick=False)
    services.assignment_create(
        user=rep,
        course=catalogue.course,
        reason=Assignment.Reason.MANUAL,
        due_at=dt.datetime(2026, 12, 4, 23, 59, 59, tzinfo=dt.UTC),
    )

    reminders_send()  # a Monday: the new training, and the weekly digest

    assigned, digest = sorted(mail.outbox, key=lambda m: "সপ্তাহে" in m.subject)
    assert "সপ্তাহে" in digest.subject
    for message in (assigned, digest):
        assert "শুরু হয়নি: " in message.body
        assert "বাকি।" in message.body
        assert "বাকি." not in message.body
    assert "ডিসেম্বর। শুরু হয়নি" in digest.body
    html = {kind: body for body, kind in assigned.alternatives}["text/html"]
    assert "বাকি।</p>" in html
