"""The demo organisation, seeded once for this module at an awkward instant (late on
a leap day in the Americas, already 1 March in Europe): the cast of DEMO.md with
printed logins, the courses, quizzes, coaching and certificates it builds through the
real services, a story that fits everyone's start date, and a second run that changes
nothing."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.utils import timezone

from certificates.models import Certificate, CertificateEvent, CertificationProgram
from certificates.services import program_progress
from coaching.models import Comment, PracticePage, Review, Submission, Take
from courses.demo import load_catalogue
from courses.models import (
    Assignment,
    CourseIndexPage,
    CoursePage,
    LessonCompletion,
    LessonPage,
)
from courses.quizzes.models import Question, QuizAttempt, QuizPage
from courses.scorm.models import ScormPage
from courses.selectors import course_cards
from dashboards.models import SalesOutcome
from dashboards.ramp import LATE, NOT_FINISHED, ON_TIME, ramp_analytics
from dashboards.team import TeamFilters, team_view
from integrations.models import CrmActivity, CrmConnection, CrmDeal, CrmSyncLog
from lms.accounts import visibility
from lms.accounts.models import Team, User
from media.models import MediaAsset
from tests.demo_story import assert_story_holds, person, seed_demo_output, seeded_at

# The last half-hour of a leap day in UTC and the Americas, already 1 March in Europe
# and Asia: the story must hold on any day, and days that end differently across the
# teams' time zones are where it would break. (A seed takes a few minutes, so the
# suite makes one; bin/run seeds at the real instant every time.)
INSTANT = dt.datetime(2028, 2, 29, 23, 30, tzinfo=dt.UTC)
PRACTICE_TITLE = "Handle the pricing objection"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    yield from seeded_at(INSTANT, django_db_blocker)


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("seeded"),
    pytest.mark.slow,
]


def test_it_builds_the_northwind_cast_and_prints_the_logins(seeded):
    assert "maya@northwind.example" in seeded
    assert "onramp-demo" in seeded
    assert Team.objects.count() == 6
    assert User.objects.filter(team__isnull=False).count() == 25  # 24 reps + Sofia

    maya = person("maya")
    assert maya.check_password("onramp-demo")
    assert maya.team.name == "Americas East"
    assert maya.day_number == 11
    assert person("priya").is_enablement_admin
    assert {t.name for t in visibility.managed_teams(person("daniel"))} == {
        "Americas",
        "Americas East",
        "Americas West",
    }
    aiko = person("aiko")
    assert {t.name for t in aiko.coached_teams.all()} == {"EMEA North", "EMEA South"}
    assert User.objects.get(email="lucia@northwind.example").full_name == "Lucía García"
    languages = dict(User.objects.exclude(language="").values_list("email", "language"))
    assert languages == {
        "lucia@northwind.example": "es",
        "jonas@northwind.example": "bn",
    }
    pitch = MediaAsset.objects.get(owner=maya, title="Pricing objection practice")
    assert pitch.status == "ready" and pitch.is_video


def test_it_publishes_the_catalogue_as_an_author_would():
    catalogue = load_catalogue()
    index = CourseIndexPage.objects.get(locale__language_code="en")
    titles = [c.title for c in CoursePage.objects.child_of(index).order_by("path")]
    assert titles == [course.title for course in catalogue.courses.values()]
    priya = person("priya")
    for page in CoursePage.objects.all():
        assert page.live and page.owner == priya
        assert page.revisions.filter(user=priya).exists()
    demo_skills = CoursePage.objects.get(title="Demo skills")
    assert demo_skills.lessons().first().video.status == "ready"
    lessons = sum(len(course.lessons) for course in catalogue.courses.values())
    assert (
        LessonPage.objects.filter(
            path__startswith=index.path,
            depth=index.depth + 2,
            quizpage__isnull=True,
            practicepage__isnull=True,
            scormpage__isnull=True,
        ).count()
        == lessons
    )


def test_it_translates_objection_handling_and_its_quiz_into_spanish():
    from courses.quizzes.models import QuestionBank

    course = CoursePage.objects.get(title="Objection handling")
    # The lessons and the quiz; the practice and SCORM steps stay in English (with
    # the note).
    steps = [
        step
        for step in course.lessons().specific()
        if type(step) in (LessonPage, QuizPage)
    ]
    for page in [course, *steps]:
        spanish = page.get_translations().get(locale__language_code="es")
        assert spanish.live
        assert spanish.title != page.title
        assert (
            spanish.get_parent()
            .get_translations(inclusive=True)
            .filter(pk=page.get_parent().pk)
            .exists()
        )
    quiz = steps[-1]
    assert quiz.get_translations().get().title == "Cuestionario de Manejo de objeciones"
    english = QuestionBank.objects.get(name="Northwind onboarding")
    spanish_bank = english.translations.get(language="es")
    tagged = spanish_bank.questions.filter(tags__name="objection-handling")
    assert tagged.count() == 6
    # Grace has the course open (Lucía's onboarding has not reached it yet).
    attempt_texts = _spanish_attempt_texts(quiz, person("grace"))
    assert len(attempt_texts) == 5
    assert set(attempt_texts) <= set(tagged.values_list("text", flat=True))


def _spanish_attempt_texts(quiz, reader):
    from django.db import transaction

    from courses.quizzes.services import attempt_start

    with transaction.atomic():
        attempt = attempt_start(user=reader, quiz=quiz, language="es")
        texts = [item.snapshot["text"] for item in attempt.questions.all()]
        transaction.set_rollback(True)
    return texts


def test_it_places_a_quiz_as_the_last_step_of_each_onboarding_course():
    for course in load_catalogue().onboarding:
        page = CoursePage.objects.get(title=course.title)
        last = page.lessons().last().specific
        assert isinstance(last, QuizPage)
        assert last.title == f"{course.title} quiz"
        assert (last.pass_mark_percent, last.max_attempts, last.wait_minutes) == (
            80,
            3,
            10,
        )
    quizzes = QuizPage.objects.all()
    assert any(q.time_limit_minutes for q in quizzes)
    assert any(q.slots.filter(bank__isnull=False).exists() for q in quizzes)
    assert any(q.layout == QuizPage.Layout.PER_QUESTION for q in quizzes)


def test_it_places_the_practice_after_the_lessons_and_before_the_quiz():
    course = CoursePage.objects.get(title="Objection handling")
    practice = PracticePage.objects.get(title=PRACTICE_TITLE)
    assert practice.get_parent().pk == course.pk
    assert practice.live and practice.max_seconds == 120
    steps = [step.specific_class.__name__ for step in course.lessons()]
    assert steps[-3:] == ["PracticePage", "ScormPage", "QuizPage"]
    assert set(steps[:-3]) == {"LessonPage"}


def test_it_adds_its_own_scorm_package_as_an_optional_step():
    step = ScormPage.objects.get()
    assert step.get_parent().title == "Objection handling"
    assert step.live and not step.required
    version = step.package.current_version
    assert (version.standard, version.scos.get().mastery_score) == ("1.2", 75)


def test_it_tells_the_story_of_each_start_date():
    assert_story_holds()


def test_it_shows_daniel_his_team_with_two_people_in_trouble():
    view = team_view(viewer=person("daniel"), filters=TeamFilters())
    assert (view.tiles["people"], view.tiles["overdue"]) == (13, 2)
    overdue = sorted(row.person.full_name for row in view.rows if row.overdue)
    assert overdue == ["Fatima Hassan", "Luis Ortega"]
    cohorts = {
        cohort.name: cohort.reps
        for cohort in ramp_analytics(
            viewer=person("daniel"), filters=TeamFilters()
        ).cohorts
    }
    assert cohorts[ON_TIME] == 5 and cohorts[LATE] == 2
    assert cohorts[NOT_FINISHED] >= 2


def test_it_gives_maya_two_courses_done_and_the_discovery_quiz_to_take():
    maya = person("maya")
    index = CourseIndexPage.objects.get(locale__language_code="en")
    outlines = {o.course.title: o.percent for o in course_cards(user=maya, index=index)}
    assert outlines["Northwind and its product"] == 100
    assert outlines["Ideal customer profile and personas"] == 100
    assert outlines["Discovery calls"] == 0
    assert QuizAttempt.objects.filter(user=maya, passed=True).count() == 2
    onboarding = Assignment.objects.get(user=maya, path__title="First 30 days")
    assert onboarding.completed_at is None
    assert 0 < onboarding.required_done < onboarding.required_total


def test_it_dates_finished_onboarding_on_time_or_late():
    grace = Assignment.objects.get(user=person("grace"), path__title="First 30 days")
    assert grace.assigned_at.date() <= person("grace").start_date + dt.timedelta(1)
    assert grace.completed_at <= grace.due_at
    ana = Assignment.objects.get(user=person("ana"), path__title="First 30 days")
    assert ana.due_at < ana.completed_at < ana.due_at + dt.timedelta(days=10)
    assert Assignment.objects.filter(path__title="First 30 days").count() == 25


def test_it_gives_luis_a_failed_then_passed_quiz():
    luis = person("luis")
    attempts = list(
        QuizAttempt.objects.filter(user=luis)
        .order_by("quiz__path", "number")
        .values_list("quiz__title", "number", "passed")
    )
    assert attempts[:2] == [
        ("Northwind and its product quiz", 1, False),
        ("Northwind and its product quiz", 2, True),
    ]
    first, second = QuizAttempt.objects.filter(
        user=luis, quiz__title="Northwind and its product quiz"
    ).order_by("number")
    assert first.closed_at < second.started_at < second.closed_at
    completion = LessonCompletion.objects.get(user=luis, lesson=second.quiz)
    assert completion.how == LessonCompletion.How.QUIZ_PASSED
    assert completion.completed_at == second.closed_at
    assert (
        Submission.objects.get(
            rep=luis, title="Discovery call with Acme Retail"
        ).outcome
        == Submission.Outcome.RESUBMIT
    )


def test_it_makes_submissions_in_every_state():
    states = Counter((s.state, s.outcome) for s in Submission.objects.all())
    assert states[(Submission.State.DRAFT, "")] >= 1
    assert states[(Submission.State.REQUESTED, "")] >= 2
    assert states[(Submission.State.IN_REVIEW, "")] >= 2
    assert states[(Submission.State.REVIEWED, Submission.Outcome.APPROVED)] >= 4
    assert states[(Submission.State.REVIEWED, Submission.Outcome.RESUBMIT)] >= 1
    overdue = Submission.objects.filter(
        state=Submission.State.REQUESTED, due_at__lt=timezone.now()
    )
    assert overdue.exists(), "the queue shows an overdue request"


@pytest.mark.parametrize("first_name", ["grace", "jonas"])
def test_it_gives_grace_and_jonas_two_approved_discovery_reviews(first_name):
    approved = Review.objects.filter(
        take__submission__rep=person(first_name),
        take__submission__rubric__name="Discovery call",
        is_self_review=False,
        state=Review.State.SUBMITTED,
        outcome=Submission.Outcome.APPROVED,
    )
    assert approved.count() >= 2
    assert all(review.score >= Decimal("3.5") for review in approved)


def test_it_approves_the_practice_of_everyone_who_finished_objection_handling():
    practice = PracticePage.objects.get(title=PRACTICE_TITLE)
    quiz = QuizPage.objects.get(title="Objection handling quiz")
    passed = set(
        LessonCompletion.objects.filter(lesson=quiz).values_list("user", flat=True)
    )
    approved = LessonCompletion.objects.filter(
        lesson=practice, how=LessonCompletion.How.PRACTICE_APPROVED
    )
    assert set(approved.values_list("user", flat=True)) == passed
    assert len(passed) >= 15
    grace = Submission.objects.get(rep=person("grace"), kind="practice")
    outcomes = [
        [r.outcome for r in take.reviews.filter(is_self_review=False)]
        for take in grace.takes.order_by("number")
    ]
    assert outcomes == [["resubmit"], ["approved"]]
    olivia = Submission.objects.get(rep=person("olivia"), kind="practice")
    assert olivia.state == Submission.State.DRAFT


def test_it_processes_every_recording():
    takes = Take.objects.select_related("asset")
    assert takes.count() >= 25
    for take in takes:
        assert take.asset.status == MediaAsset.Status.READY
        assert take.asset.duration > 10
        assert take.asset.peaks, "a waveform to draw the markers on"
    practice_takes = takes.filter(submission__kind=Submission.Kind.PRACTICE)
    assert all(take.asset.duration <= 120 for take in practice_takes)
    assert any(take.asset.is_video for take in practice_takes)


def test_it_puts_comments_at_moments_within_each_recording():
    timed = Comment.objects.filter(parent__isnull=True).select_related("take__asset")
    assert timed.count() >= 20
    for comment in timed:
        assert 0 <= comment.start_seconds <= Decimal(str(comment.take.asset.duration))
        if comment.end_seconds is not None:
            assert comment.start_seconds < comment.end_seconds
    assert Comment.objects.filter(parent__isnull=False).exists(), "reps reply"
    drafts = Comment.objects.filter(review__state=Review.State.DRAFT)
    assert drafts.exists(), "a coach's review in progress"
    assert set(Comment.objects.values_list("kind", flat=True)) >= {
        "praise",
        "improve",
        "question",
    }


def test_it_seeds_the_program_and_certificates_in_every_state():
    program = CertificationProgram.objects.get(title="Certified Discovery Seller")
    assert (program.validity_months, program.renewal_window_days) == (12, 30)
    assert [
        (r.kind, str(r.path or r.quiz or r.rubric), r.min_percent, r.min_reviews)
        for r in program.requirements.order_by("sort_order")
    ] == [
        ("path", "First 30 days", None, 1),
        ("quiz", "Discovery calls quiz", 80, 1),
        ("reviews", "Discovery call", None, 2),
    ]
    now = timezone.now()
    grace = Certificate.objects.get(user=person("grace"))
    assert grace.status == Certificate.Status.ACTIVE
    assert grace.events.get().action == CertificateEvent.Action.ISSUED
    assert program_progress(user=person("grace"), program=program).holds_valid

    jonas = Certificate.objects.get(user=person("jonas"))
    assert jonas.status == Certificate.Status.ACTIVE
    assert now < jonas.expires_at <= now + dt.timedelta(days=30)
    assert jonas.renewal_opened_at is not None
    assert Assignment.objects.filter(
        user=person("jonas"),
        reason=Assignment.Reason.RECERTIFICATION,
        course__title="Discovery calls",
    ).exists()

    sofia = Certificate.objects.get(user=person("sofia"))
    assert sofia.status == Certificate.Status.REVOKED
    assert sofia.revoked_reason and sofia.revoked_by == person("priya")
    elena = Certificate.objects.get(user=person("elena"))
    assert elena.status == Certificate.Status.EXPIRED and elena.expires_at < now
    assert elena.issued_at.date() > person("elena").start_date


def _counts() -> dict[str, int]:
    models = [
        User, Team, MediaAsset, CoursePage, LessonPage, Question, Assignment,
        LessonCompletion, QuizAttempt, Submission, Take, Review, Comment,
        Certificate, SalesOutcome, CrmConnection, CrmDeal, CrmActivity, CrmSyncLog,
    ]  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


def test_it_can_run_again_without_changing_anything():
    counts = _counts()
    serials = set(Certificate.objects.values_list("serial", flat=True))
    seed_demo_output()
    assert _counts() == counts
    assert set(Certificate.objects.values_list("serial", flat=True)) == serials
    assert_story_holds()


def test_its_calls_are_two_channel_with_talk_ratios_that_tell_reps_apart():
    from coaching.analytics import talk_ratio_target
    from coaching.models import CallAnalysis, Rubric

    rubric = Rubric.objects.get(name="Discovery call")
    assert (rubric.talk_ratio_min, rubric.talk_ratio_max) == (30, 45)
    calls = Take.objects.filter(submission__kind=Submission.Kind.CALL)
    analyses = CallAnalysis.objects.filter(take__in=calls)
    assert analyses.count() == calls.count()
    assert {a.state for a in analyses} == {CallAnalysis.State.DONE}
    assert {a.speakers for a in analyses} == {2}

    def ratios(first_name: str) -> list[float]:
        return list(
            analyses.filter(take__submission__rep=person(first_name)).values_list(
                "rep_talk_ratio", flat=True
            )
        )

    assert all(talk_ratio_target(rubric, r).met for r in ratios("grace"))
    assert all(not talk_ratio_target(rubric, r).met for r in ratios("luis"))
    assert min(ratios("luis")) > max(ratios("grace")) + 0.2


def test_its_demo_crm_mirrors_the_outcomes_and_syncs_without_network(monkeypatch):
    import socket

    from integrations.crm.sync import crm_sync

    connection = CrmConnection.objects.get(kind=CrmConnection.Kind.DEMO)
    assert connection.name == "CRM (demo)"
    assert connection.sync_logs.count() == 2
    grace = person("grace")
    for outcome in SalesOutcome.objects.filter(user=grace):
        deals = CrmDeal.objects.filter(
            user=grace, closed_on__year=outcome.month.year,
            closed_on__month=outcome.month.month,
        )  # fmt: skip
        won = deals.filter(outcome=CrmDeal.Outcome.WON)
        assert deals.count() == outcome.opportunities
        assert won.count() == outcome.deals_won
        assert sum(d.amount for d in won) == outcome.revenue
    assert CrmActivity.objects.filter(user=grace).exists()
    before = list(SalesOutcome.objects.values_list("pk", "revenue", "deals_won"))

    def no_network(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the demo CRM reached for the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    log = crm_sync(connection=connection)
    assert log.status == CrmSyncLog.Status.SUCCEEDED, log.error
    assert (
        list(SalesOutcome.objects.values_list("pk", "revenue", "deals_won")) == before
    )
