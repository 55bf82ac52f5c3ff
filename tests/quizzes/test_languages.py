"""Quizzes in the person's language: the quiz page, the questions, the submit page,
the result, the refusals, the autosave script's messages and the admin's item
analysis, in Spanish and Bengali, with plurals that follow the count."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from courses.quizzes.models import QuizAttempt
from courses.quizzes.services import attempt_start, attempt_submit

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def _speaking(user, language: str):
    user.language = language
    user.save(update_fields=["language"])
    return user


def test_the_quiz_page_speaks_spanish_with_plurals_that_follow_the_count(
    client, org, quiz_kit
):
    quiz = quiz_kit.quiz
    quiz.max_attempts, quiz.wait_minutes, quiz.time_limit_minutes = 3, 1, 15
    quiz.save()
    client.force_login(_speaking(org.rep_east, "es"))

    page = client.get(quiz.url).content.decode()

    assert "Sobre este cuestionario" in page
    assert "el 80 % de los puntos" in page
    assert "3 en total, te quedan 3" in page
    assert "15 minutos desde que empiezas" in page
    assert "Espera 1 minuto después de un intento antes del siguiente" in page
    assert "Se muestran cuando apruebas" in page
    assert "Empezar el cuestionario" in page
    assert "Start the quiz" not in page


def test_the_quiz_page_speaks_bengali(client, org, quiz_kit):
    quiz = quiz_kit.quiz
    quiz.time_limit_minutes = 1
    quiz.save()
    client.force_login(_speaking(org.rep_east, "bn"))

    page = client.get(quiz.url).content.decode()

    assert "এই কুইজ সম্পর্কে" in page
    assert "পাস নম্বর" in page
    assert "শুরু করার মুহূর্ত থেকে ১ মিনিট" in page
    assert "যতবার দরকার" in page
    assert "কুইজ শুরু করুন" in page


def test_the_questions_speak_bengali_and_load_the_script_catalogue_first(
    client, org, quiz_kit
):
    client.force_login(_speaking(org.rep_east, "bn"))
    attempt = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)

    page = client.get(reverse("quiz_attempt", args=[attempt.pk])).content.decode()

    assert "৭টির মধ্যে প্রশ্ন ১" in page
    assert "যতগুলো প্রযোজ্য, সবগুলো বেছে নিন।" in page
    assert "বেছে নিন…" in page
    assert "দেখে নিয়ে জমা দিন" in page
    catalogue = page.index(reverse("javascript_catalog"))
    assert catalogue < page.index("quizzes/attempt.js")


def test_the_submit_page_counts_unanswered_questions_in_spanish(client, org, quiz_kit):
    client.force_login(_speaking(org.rep_east, "es"))
    attempt = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)

    page = client.get(
        reverse("quiz_attempt_submit", args=[attempt.pk])
    ).content.decode()

    assert "¿Enviar tus respuestas?" in page
    assert "No has respondido 7 de 7 preguntas:" in page
    assert "Las preguntas sin responder no suman puntos." in page


def test_the_result_speaks_spanish_with_a_spanish_date(client, org, quiz_kit):
    rep = _speaking(org.rep_east, "es")
    rep.time_zone = "UTC"
    rep.save(update_fields=["time_zone"])
    with time_machine.travel(MOMENT, tick=False):
        attempt = attempt_start(user=rep, quiz=quiz_kit.quiz)
        attempt_submit(attempt=attempt, user=rep, responses={})
    client.force_login(rep)

    page = client.get(
        reverse("quiz_attempt_result", args=[attempt.pk])
    ).content.decode()

    assert "No aprobado" in page
    assert "Nota de aprobado" in page
    assert "Qué pasa ahora" in page
    assert "Necesitas un 80 % para aprobar." in page
    assert "Sin respuesta" in page
    assert "02/03/2026 09:30" in page  # Spanish SHORT_DATETIME_FORMAT


def test_the_result_counts_the_attempts_left_in_bengali(client, org, quiz_kit):
    quiz = quiz_kit.quiz
    quiz.max_attempts = 3
    quiz.save()
    rep = _speaking(org.rep_east, "bn")
    attempt = attempt_start(user=rep, quiz=quiz)
    attempt_submit(attempt=attempt, user=rep, responses={})
    client.force_login(rep)

    page = client.get(
        reverse("quiz_attempt_result", args=[attempt.pk])
    ).content.decode()

    assert "পাস হয়নি" in page
    assert "আপনার আর ২টি প্রচেষ্টা বাকি আছে।" in page
    assert "আপনার উত্তর" in page


@pytest.mark.parametrize(
    ("max_attempts", "refusal"),
    [
        (1, "Ya has usado tu intento en este cuestionario (1 en total)."),
        (2, "Ya has usado los 2 intentos de este cuestionario."),
    ],
)
def test_the_refusal_after_the_last_attempt_speaks_spanish(
    client, org, quiz_kit, max_attempts, refusal
):
    quiz = quiz_kit.quiz
    quiz.max_attempts = max_attempts
    quiz.save()
    rep = _speaking(org.rep_east, "es")
    for _ in range(max_attempts):
        attempt = attempt_start(user=rep, quiz=quiz)
        attempt_submit(attempt=attempt, user=rep, responses={})
    client.force_login(rep)

    page = client.get(quiz.url).content.decode()

    assert refusal in page


def test_an_autosave_refusal_speaks_the_persons_language(client, org, quiz_kit):
    rep = _speaking(org.rep_east, "bn")
    attempt = attempt_start(user=rep, quiz=quiz_kit.quiz)
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - dt.timedelta(hours=1)
    )
    client.force_login(rep)

    response = client.post(
        reverse("quiz_attempt_save", args=[attempt.pk]),
        {"shown": ["1"]},
        headers={"accept": "application/json"},
    )

    assert response.json()["error"] == "সময় শেষ: উত্তর আর সেভ করা যাবে না।"


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("es", ["Guardando…", "Quedan %(minutes)s minutos."]),
        ("bn", ["সেভ হচ্ছে…", "আর %(minutes)s মিনিট বাকি।"]),
    ],
)
def test_the_autosave_script_reads_its_messages_in_the_persons_language(
    client, org, language, texts
):
    client.force_login(_speaking(org.rep_east, language))

    script = client.get(reverse("javascript_catalog")).content.decode()

    for text in texts:
        assert json.dumps(text)[1:-1] in script  # the catalogue is JSON, \u-escaped


def test_the_item_analysis_speaks_spanish_to_an_admin(client, org, quiz_kit):
    attempt = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    attempt_submit(attempt=attempt, user=org.rep_east, responses={})
    client.force_login(_speaking(org.admin, "es"))

    page = client.get(
        reverse("quizzes_item_analysis", args=[quiz_kit.quiz.pk])
    ).content.decode()

    assert "Discriminación" in page
    assert "Puntuación media" in page
    assert "(sin respuesta)" in page
    assert "Opción única" in page


def test_the_question_form_labels_speak_bengali_to_an_admin(client, org):
    client.force_login(_speaking(org.admin, "bn"))

    page = client.get(reverse("wagtailsnippets_quizzes_question:add")).content.decode()

    assert "আংশিক নম্বর" in page  # partial credit
    assert "একক নির্বাচন" in page  # the kind "Single choice"
    assert "প্রতিটি প্রচেষ্টায় বিকল্পগুলো নতুন ক্রমে দেখান।" in page
