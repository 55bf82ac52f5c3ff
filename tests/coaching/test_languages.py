"""Coaching in Spanish and Bengali: the pages, the e-mails (in the recipient's
language, whoever triggers them) and the counted phrases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from coaching import notices, selectors
from tests.factories import levels_for

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _speaks(person, language: str) -> None:
    person.language = language
    person.save(update_fields=["language"])


def test_my_coaching_reads_in_the_reps_language(client, org, submissions):
    submissions.reviewed()
    _speaks(org.rep_east, "es")
    client.force_login(org.rep_east)

    page = client.get(reverse("coaching_mine")).text

    assert '<html lang="es"' in page
    assert "<h1>Mi coaching</h1>" in page
    assert "Pedir una revisión" in page
    assert "Llamadas y prácticas enviadas a revisión" in page
    assert ">Revisión de llamada</td>" in page  # the kind, a translated choice
    assert "Request a review" not in page


def test_the_review_screen_reads_in_bengali(client, org, submissions):
    take = submissions.requested().takes.get()
    _speaks(org.east_coach, "bn")
    client.force_login(org.east_coach)

    page = client.get(reverse("coaching_review", args=[take.pk])).text

    assert "কলটিতে স্কোর দিন: Discovery call" in page  # Score the call: <rubric>
    assert "রিভিউ জমা দিন" in page  # Submit review
    assert "নতুন মন্তব্য" in page  # New comment
    assert "/jsi18n/" in page  # the review script's texts
    assert "Submit review" not in page


def test_the_queue_reads_in_spanish(client, org, submissions):
    submissions.requested()
    _speaks(org.east_coach, "es")
    client.force_login(org.east_coach)

    page = client.get(reverse("coaching_queue")).text

    assert "<h1>Cola de coaching</h1>" in page
    assert "Por revisar" in page  # the "To review" tab


def test_a_refusal_reads_in_the_persons_language(client, org, submissions):
    take = submissions.requested().takes.get()
    _speaks(org.east_coach, "es")
    client.force_login(org.east_coach)

    response = client.post(
        reverse("coaching_comment_add", args=[take.pk]),
        {"text": "Bien", "start_seconds": "", "kind": "praise"},
        headers={"accept": "application/json"},
    )

    assert response.status_code == 400
    assert response.json()["error"] == (
        "Un comentario necesita un momento de la grabación."
    )


def test_a_request_emails_each_coach_in_their_own_language(
    org, submissions, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to("2026-03-02 09:00Z", tick=False)
    _speaks(org.east_coach, "bn")
    _speaks(org.rep_east, "es")  # the sender's language does not count
    with translation.override("es"), django_capture_on_commit_callbacks(execute=True):
        submissions.requested()

    (message,) = mailoutbox
    assert message.subject == "Rae East কোচিং চাইছেন: “Acme discovery call”"
    assert "আপনার রিভিউয়ের জন্য “Acme discovery call” পাঠিয়েছেন" in message.body
    assert "ডিলের পর্যায়:" in message.body  # Deal stage
    ((html, _),) = message.alternatives
    assert '<html lang="bn">' in html
    assert "রেকর্ডিংটি খুলুন" in html  # the button


def test_the_reviewed_email_goes_out_in_spanish(
    org, submissions, mailoutbox, django_capture_on_commit_callbacks
):
    _speaks(org.rep_east, "es")
    review = submissions.in_review()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        from coaching import services

        services.review_submit(
            review=review,
            coach=org.east_coach,
            levels=levels_for(review.take.submission.rubric, 2, 2, 3, 2),
            summary="Más despacio.",
            outcome="resubmit",
        )

    (message,) = mailoutbox
    assert message.subject == "Cora Coach pide otra toma de «Globex discovery call»"
    assert "2,30 de 5, por debajo del aprobado." in message.body  # a decimal comma
    assert "Te pide otra toma" in message.body


def test_the_escalation_names_the_coaches_in_the_managers_language(
    org, submissions, mailoutbox, settings, time_machine
):
    settings.COACHING_TURNAROUND_HOURS = 48
    time_machine.move_to(START, tick=False)
    submissions.requested()
    _speaks(org.east_manager, "es")
    time_machine.move_to(START + dt.timedelta(hours=48), tick=False)

    notices.reviews_chase_overdue()

    message = next(m for m in mailoutbox if m.to == [org.east_manager.email])
    assert message.subject == "Coaching vencido: Rae East, «Acme discovery call»"
    assert "La tiene Cora Coach." in message.body
    assert "miércoles 4 de marzo, 09:00 (UTC)" in message.body  # the due date


@pytest.mark.parametrize(
    ("language", "hours", "label"),
    [
        ("es", 30, "vence en 30 h"),
        ("es", 72, "vence en 3 días"),
        ("es", -72, "vencida hace 3 días"),
        ("bn", 72, "3 দিনের মধ্যে শেষ সময়"),
        ("en", 72, "due in 3 days"),
    ],
)
def test_due_labels_count_in_the_active_language(language, hours, label, time_machine):
    time_machine.move_to(START, tick=False)

    with translation.override(language):
        assert selectors.due_label(START + dt.timedelta(hours=hours)) == label


@pytest.mark.parametrize(
    ("calls", "text"),
    [(1, "a partir de 1 llamada."), (4, "a partir de 4 llamadas.")],
)
def test_the_team_median_counts_calls_in_spanish(calls, text):
    from django.template.loader import render_to_string

    with translation.override("es"):
        html = render_to_string(
            "coaching/includes/analysis.html",
            {
                "panel": {
                    "analysis": {"state": "done"},
                    "lanes": [],
                    "rows": [],
                    "benchmark": {"team_name": "East", "calls": calls},
                },
            },
        )

    assert f"Mediana del equipo: East, llamadas de los últimos 90 días, {text}" in html


def test_the_rubric_admin_reads_in_spanish(client, org):
    _speaks(org.admin, "es")
    client.force_login(org.admin)

    page = client.get(reverse("wagtailsnippets_coaching_rubric:add")).text

    assert "Umbral de aprobado" in page  # the pass threshold's label
    assert "Objetivos de la llamada (análisis de la conversación)" in page
