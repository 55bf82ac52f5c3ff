"""The coaching demo: the "Discovery call" rubric, the practice "Handle the pricing
objection" before the quiz of "Objection handling", and spoken recordings reviewed in
every state, made through the real pipeline and services."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from coaching.demo import PRACTICE_TITLE, RUBRIC_NAME, seed_coaching
from coaching.models import Comment, PracticePage, Review, Rubric, Submission, Take
from courses.models import CoursePage, LessonCompletion, LessonPage
from lms.accounts.models import User
from lms.demo import demo_steps
from media.models import MediaAsset

pytestmark = pytest.mark.django_db

STEPS = ("people and teams", "courses", "quizzes", "coaching")


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The demo up to and including coaching, seeded once for this module (it
    speaks and transcodes a dozen recordings) and removed afterwards."""
    from django.db import transaction

    log: list[str] = []
    with django_db_blocker.unblock():
        with transaction.atomic():
            for step in demo_steps():
                if step.name in STEPS:
                    step.run(log.append)
            yield log
            transaction.set_rollback(True)


def _person(first_name: str) -> User:
    return User.objects.get(email=f"{first_name}@northwind.example")


def test_it_registers_the_coaching_step_at_50():
    step = next(step for step in demo_steps() if step.name == "coaching")
    assert step.order == 50


def test_it_writes_the_discovery_call_rubric(seeded):
    rubric = Rubric.objects.get(name=RUBRIC_NAME)
    criteria = list(rubric.criteria.all())
    assert [c.name for c in criteria] == [
        "Agenda setting",
        "Questioning",
        "Listening",
        "Next steps",
    ]
    assert sum(c.weight for c in criteria) == 100
    assert rubric.pass_threshold == Decimal("3.00")
    assert all(text for c in criteria for _, text in c.levels)


def test_it_places_the_practice_after_the_lessons_and_before_the_quiz(seeded):
    course = CoursePage.objects.get(title="Objection handling")
    practice = PracticePage.objects.get(title=PRACTICE_TITLE)
    assert practice.get_parent().pk == course.pk
    assert practice.live and practice.max_seconds == 120
    steps = [step.specific_class.__name__ for step in course.lessons()]
    assert steps[-2:] == ["PracticePage", "QuizPage"]
    assert set(steps[:-2]) == {"LessonPage"}


def test_it_makes_submissions_in_every_state(seeded):
    states = Counter((s.state, s.outcome) for s in Submission.objects.all())
    assert states[(Submission.State.DRAFT, "")] >= 1
    assert states[(Submission.State.REQUESTED, "")] >= 2
    assert states[(Submission.State.IN_REVIEW, "")] >= 2
    assert states[(Submission.State.REVIEWED, Submission.Outcome.APPROVED)] >= 4
    assert states[(Submission.State.REVIEWED, Submission.Outcome.RESUBMIT)] >= 1
    assert Submission.objects.filter(kind=Submission.Kind.PRACTICE).exists()
    overdue = Submission.objects.filter(
        state=Submission.State.REQUESTED, due_at__lt=_now()
    )
    assert overdue.exists(), "the queue shows an overdue request"


def _now():  # type: ignore[no-untyped-def]
    from django.utils import timezone

    return timezone.now()


@pytest.mark.parametrize("first_name", ["grace", "jonas"])
def test_it_gives_grace_and_jonas_two_approved_discovery_reviews(seeded, first_name):
    approved = Review.objects.filter(
        take__submission__rep=_person(first_name),
        take__submission__rubric__name=RUBRIC_NAME,
        is_self_review=False,
        state=Review.State.SUBMITTED,
        outcome=Submission.Outcome.APPROVED,
    )
    assert approved.count() >= 2
    assert all(review.score >= Decimal("3.5") for review in approved)


def test_it_completes_the_practice_step_of_approved_practice(seeded):
    practice = PracticePage.objects.get(title=PRACTICE_TITLE)
    for first_name in ["grace", "jonas"]:
        assert LessonCompletion.objects.filter(
            user=_person(first_name),
            lesson=practice,
            how=LessonCompletion.How.PRACTICE_APPROVED,
        ).exists()


def test_it_keeps_a_resubmitted_take_and_its_review_beside_the_next(seeded):
    grace = Submission.objects.get(rep=_person("grace"), kind="practice")
    outcomes = [
        [r.outcome for r in take.reviews.filter(is_self_review=False)]
        for take in grace.takes.order_by("number")
    ]
    assert outcomes == [["resubmit"], ["approved"]]


def test_it_speaks_every_recording_and_processes_it(seeded):
    takes = Take.objects.select_related("asset")
    assert takes.count() >= 12
    for take in takes:
        assert take.asset.status == MediaAsset.Status.READY
        assert take.asset.duration > 10
        assert take.asset.peaks, "a waveform to draw the markers on"
    practice_takes = takes.filter(submission__kind=Submission.Kind.PRACTICE)
    assert all(take.asset.is_video for take in practice_takes)
    assert all(take.asset.duration <= 120 for take in practice_takes)


def test_it_puts_comments_at_moments_within_each_recording(seeded):
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


def test_it_runs_again_without_duplicates(seeded):
    counts = (Submission.objects.count(), Take.objects.count(), Comment.objects.count())
    assets = MediaAsset.objects.count()
    log: list[str] = []
    seed_coaching(log.append)
    assert (
        Submission.objects.count(),
        Take.objects.count(),
        Comment.objects.count(),
    ) == counts
    assert MediaAsset.objects.count() == assets
    assert PracticePage.objects.count() == 1
    assert LessonPage.objects.filter(title=PRACTICE_TITLE).count() == 1
    assert "0 submissions" in log[-1]


@pytest.mark.parametrize("espeak", [True, False], ids=["espeak-ng", "tones"])
def test_it_times_each_spoken_line_in_the_mixed_track(
    tmp_path, monkeypatch, ffmpeg_exe, espeak
):
    import subprocess
    import wave

    from coaching import demo

    if not espeak:
        monkeypatch.setattr(demo.shutil, "which", lambda name: None)
    elif demo.shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed here")
    script = demo.PITCH_WEAK
    arguments, starts = demo._spoken(tmp_path, script, first_input=0)
    track = tmp_path / "track.wav"
    subprocess.run(
        [ffmpeg_exe, "-nostdin", "-loglevel", "error", *arguments, str(track)],
        check=True,
    )
    with wave.open(str(track)) as made:
        seconds = made.getnframes() / made.getframerate()
    assert len(starts) == len(script)
    assert starts[0][0] == 0
    for (_, end), (start, _) in zip(starts, starts[1:], strict=False):
        assert start == pytest.approx(end + demo.PAUSE_SECONDS)
    assert seconds == pytest.approx(starts[-1][1] + demo.PAUSE_SECONDS, abs=0.1)


def test_its_calls_are_two_channel_with_talk_ratios_that_tell_reps_apart(seeded):
    from coaching.analytics import talk_ratio_target
    from coaching.models import CallAnalysis

    rubric = Rubric.objects.get(name=RUBRIC_NAME)
    assert (rubric.talk_ratio_min, rubric.talk_ratio_max) == (30, 45)
    calls = Take.objects.filter(submission__kind=Submission.Kind.CALL)
    analyses = CallAnalysis.objects.filter(take__in=calls)
    assert analyses.count() == calls.count()
    assert {a.state for a in analyses} == {CallAnalysis.State.DONE}
    assert {a.speakers for a in analyses} == {2}

    def ratios(first_name: str) -> list[float]:
        return list(
            analyses.filter(take__submission__rep=_person(first_name)).values_list(
                "rep_talk_ratio", flat=True
            )
        )

    assert all(talk_ratio_target(rubric, r).met for r in ratios("grace"))
    assert all(not talk_ratio_target(rubric, r).met for r in ratios("luis"))
    assert min(ratios("luis")) > max(ratios("grace")) + 0.2


def test_without_espeak_the_stand_in_voice_gives_the_intended_metrics(
    tmp_path, monkeypatch
):
    from coaching import demo
    from media import dialogue, speech

    monkeypatch.setattr(dialogue, "espeak_available", lambda: False)
    measured = {}
    for style in ("talks", "listens"):
        arguments, starts = demo._two_channel_call(
            tmp_path, demo._call("Chris", "Acme Retail", style)
        )
        activity = speech.analyse_file(tmp_path / "call.wav", time_limit=60)
        measured[style] = speech.activity_metrics(activity).rep_talk_ratio
        assert len(starts) == 12
    assert measured["talks"] > 0.6
    assert 0.30 <= measured["listens"] <= 0.45
