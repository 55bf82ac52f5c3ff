"""Evaluating requirements from the rows the other apps keep, and issuing once."""

from __future__ import annotations

import re

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from certificates import notices, services
from certificates.models import Certificate, CertificateEvent, ProgramRequirement
from certificates.progress import program_progress
from certificates.services import certificates_evaluate
from courses.quizzes.models import QuizAttempt
from tests.factories import make_program

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def after_issue(monkeypatch):
    """What runs after commit for an issued certificate (PDF, e-mail), recorded."""
    issued: list[int] = []
    monkeypatch.setattr(services, "_after_issue", issued.append)
    return issued


def _lines(kit, user):
    return program_progress(user=user, program=kit.program).lines


def test_it_issues_nothing_and_says_what_to_do_when_nothing_is_met(program_kit, org):
    progress = program_progress(user=org.rep_east, program=program_kit.program)

    assert certificates_evaluate(user_id=org.rep_east.pk) == []
    assert not Certificate.objects.exists()
    assert progress.summary == "Certified Discovery Seller: 0 of 3 requirements met"
    assert [line.next_step for line in progress.lines] == [
        "0 of 3 required steps done: continue on My learning.",
        "Take the quiz.",
        "0 of 2 so far: send a recording for review.",
    ]
    assert progress.lines[1].url == program_kit.quiz.url


def test_it_links_the_coaching_requirement_to_a_review_request_without_a_practice(
    program_kit, org
):
    (line,) = [
        line
        for line in program_progress(
            user=org.rep_east, program=program_kit.program
        ).lines
        if "coaching review" in line.label
    ]

    assert line.url == reverse("coaching_request_new")


def test_it_issues_one_certificate_when_every_requirement_is_met(
    program_kit, org, after_issue, django_capture_on_commit_callbacks, settings
):
    settings.CERTIFICATE_SERIAL_PREFIX = "NW"
    kit = program_kit
    kit.complete_path(org.rep_east)
    kit.pass_quiz(org.rep_east, percent=85)
    kit.approve_review(org.rep_east, score="3.00")
    assert program_progress(user=org.rep_east, program=kit.program).met_count == 2

    kit.approve_review(org.rep_east, score="4.50")
    with django_capture_on_commit_callbacks(execute=True):
        (certificate,) = certificates_evaluate(user_id=org.rep_east.pk)

    assert certificate.cycle == 1
    assert certificate.status == Certificate.Status.ACTIVE
    assert re.fullmatch(r"NW-\d{4}-000001", certificate.serial)
    assert certificate.serial[3:7] == str(certificate.issued_at.year)
    assert len(certificate.verification_code) == 24
    assert certificate.verification_code != str(certificate.pk)
    assert certificate.holder_name == "Rae East"
    assert certificate.program_title == "Certified Discovery Seller"
    assert certificate.expires_at == certificate.issued_at + relativedelta(months=12)
    (event,) = certificate.events.all()
    assert (event.action, event.actor) == (CertificateEvent.Action.ISSUED, None)
    assert after_issue == [certificate.pk]
    assert program_progress(user=org.rep_east, program=kit.program).holds_valid


def test_it_issues_once_when_evaluated_again(program_kit, org):
    program_kit.meet_everything(org.rep_east)

    assert len(certificates_evaluate(user_id=org.rep_east.pk)) == 1
    assert certificates_evaluate(user_id=org.rep_east.pk) == []
    assert Certificate.objects.count() == 1


def test_it_numbers_serials_in_sequence(program_kit, org):
    program_kit.meet_everything(org.rep_east)
    program_kit.meet_everything(org.rep_west)

    (first,) = certificates_evaluate(user_id=org.rep_east.pk)
    (second,) = certificates_evaluate(user_id=org.rep_west.pk)

    assert first.serial.endswith("-000001")
    assert second.serial.endswith("-000002")
    assert first.verification_code != second.verification_code


def test_it_keeps_the_name_as_it_was_when_issued(program_kit, org):
    program_kit.meet_everything(org.rep_east)
    (certificate,) = certificates_evaluate(user_id=org.rep_east.pk)

    org.rep_east.full_name = "Rae Renamed"
    org.rep_east.save()
    program_kit.program.title = "Discovery Seller II"
    program_kit.program.save()

    certificate.refresh_from_db()
    assert (certificate.holder_name, certificate.program_title) == (
        "Rae East",
        "Certified Discovery Seller",
    )


def test_it_needs_every_required_step_of_the_path(program_kit, org):
    kit = program_kit
    kit.pass_quiz(org.rep_east)
    kit.approve_review(org.rep_east)
    kit.approve_review(org.rep_east)
    for lesson in kit.lessons:
        services_lesson_complete(org.rep_east, lesson)

    path_line = _lines(kit, org.rep_east)[0]
    assert (path_line.met, path_line.done, path_line.needed) == (False, 2, 3)
    assert certificates_evaluate(user_id=org.rep_east.pk) == []


def services_lesson_complete(user, lesson):
    from courses.models import LessonCompletion
    from courses.services import lesson_complete

    lesson_complete(user=user, lesson=lesson, how=LessonCompletion.How.READ)


@pytest.mark.parametrize(
    ("percent", "state", "met"),
    [
        ("79.99", QuizAttempt.State.SUBMITTED, False),
        ("80.00", QuizAttempt.State.SUBMITTED, True),
        ("95", QuizAttempt.State.EXPIRED, True),
        ("95", QuizAttempt.State.IN_PROGRESS, False),
        ("95", QuizAttempt.State.ABANDONED, False),
    ],
)
def test_it_counts_graded_quiz_attempts_at_the_minimum_percent(
    program_kit, org, percent, state, met
):
    program_kit.pass_quiz(org.rep_east, percent=percent, state=state)

    assert _lines(program_kit, org.rep_east)[1].met is met


def test_it_uses_the_attempts_pass_mark_without_a_minimum(program_kit, org):
    kit = program_kit
    requirement = kit.program.requirements.get(kind=ProgramRequirement.Kind.QUIZ_PASSED)
    requirement.min_percent = None
    requirement.save()
    attempt = kit.pass_quiz(org.rep_east, percent=70)
    assert not _lines(kit, org.rep_east)[1].met
    assert "best score so far is 70%" in _lines(kit, org.rep_east)[1].next_step

    QuizAttempt.objects.filter(pk=attempt.pk).update(pass_mark_percent=70)

    assert _lines(kit, org.rep_east)[1].met
    assert "pass mark (80%)" in _lines(kit, org.rep_east)[1].label


def test_it_counts_only_approved_coach_reviews_on_the_rubric_above_the_score(
    program_kit, org
):
    kit = program_kit
    rep = org.rep_east
    kit.approve_review(rep, self_review=True, score="5.00")
    kit.approve_review(rep, outcome="resubmit", score="4.00")
    kit.approve_review(rep, score="2.99")
    kit.approve_review(rep, rubric=kit.other_rubric, score="5.00")
    kit.approve_review(org.rep_west, score="5.00")
    draft = kit.approve_review(rep, score="5.00")
    draft.state = "draft"
    draft.save()
    assert _lines(kit, rep)[2].done == 0

    one = kit.approve_review(rep, score="3.00")
    # A second coach approving the same take is the same evidence.
    kit.approve_review(rep, take=one.take, reviewer=org.east_coach, score="5.00")
    assert (_lines(kit, rep)[2].done, _lines(kit, rep)[2].met) == (1, False)

    kit.approve_review(rep, score="3.50")
    assert _lines(kit, rep)[2].met


def test_it_checks_a_course_requirement(program_kit, org):
    program = make_program(
        "Course only",
        [
            ProgramRequirement(
                kind=ProgramRequirement.Kind.COURSE_COMPLETED,
                course=program_kit.course,
            )
        ],
    )
    assert not program_progress(user=org.rep_east, program=program).complete

    program_kit.complete_path(org.rep_east)

    issued = certificates_evaluate(user_id=org.rep_east.pk)
    (certificate,) = [c for c in issued if c.program == program]
    assert certificate.expires_at is None  # no validity period: never expires


def test_it_issues_nothing_for_an_inactive_program(program_kit, org):
    program_kit.meet_everything(org.rep_east)
    program_kit.program.active = False
    program_kit.program.save()

    assert certificates_evaluate(user_id=org.rep_east.pk) == []


def test_it_never_meets_a_requirement_missing_its_object(program_kit, org):
    program = make_program(
        "Broken", [ProgramRequirement(kind=ProgramRequirement.Kind.QUIZ_PASSED)]
    )
    program_kit.meet_everything(org.rep_east)

    line = program_progress(user=org.rep_east, program=program).lines[0]
    assert not line.met
    issued = certificates_evaluate(user_id=org.rep_east.pk)
    assert [c.program for c in issued] == [program_kit.program]


def test_it_e_mails_the_holder_once(program_kit, org):
    program_kit.meet_everything(org.rep_east)
    (certificate,) = certificates_evaluate(user_id=org.rep_east.pk)

    assert notices.certificate_notify_issued(certificate=certificate)
    assert not notices.certificate_notify_issued(certificate=certificate)

    (message,) = mail.outbox
    assert message.to == [org.rep_east.email]
    assert "Certified Discovery Seller" in message.subject
    assert f"/verify/{certificate.verification_code}/" in message.body
    assert certificate.serial in message.body


def test_it_shows_progress_as_a_quiz_result_hint(program_kit, org):
    from certificates.signal_handlers import quiz_result_hint

    program_kit.pass_quiz(org.rep_east)

    assert (
        quiz_result_hint(org.rep_east, program_kit.quiz)
        == "Certified Discovery Seller: 1 of 3 requirements met"
    )
    other_quiz = program_kit.course.add_child(
        instance=type(program_kit.quiz)(title="Other quiz", body=[])
    )
    assert quiz_result_hint(org.rep_east, other_quiz) is None


def test_it_e_mails_dates_on_the_holders_calendar(program_kit, org, time_machine):
    import datetime as dt

    org.rep_east.time_zone = "Pacific/Auckland"
    org.rep_east.save()
    time_machine.move_to(dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC), tick=False)
    program_kit.meet_everything(org.rep_east)
    (certificate,) = certificates_evaluate(user_id=org.rep_east.pk)

    notices.certificate_notify_issued(certificate=certificate)

    (message,) = mail.outbox
    assert "Issued: 3 March 2026" in message.body
    assert "Valid until: 3 March 2027" in message.body


def test_it_does_not_count_a_practice_attempt_toward_the_minimum(program_kit, org):
    kit = program_kit
    shown = kit.pass_quiz(org.rep_east, percent=70)
    shown.answers_shown_at = timezone.now()
    shown.save()
    practice = kit.pass_quiz(org.rep_east, percent=100)
    practice.practice = True
    practice.save()
    line = _lines(kit, org.rep_east)[1]
    assert not line.met
    assert line.next_step == (
        "Your best score is 70%. The correct answers have been shown to you, so "
        "further attempts are practice and do not count until the next cycle."
    )
