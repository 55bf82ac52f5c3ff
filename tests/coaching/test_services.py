from __future__ import annotations

from decimal import Decimal

import pytest

from coaching import selectors, services
from coaching.models import Comment, Review, Submission, Take
from coaching.services import CoachingRefused
from courses.models import LessonCompletion
from tests.factories import levels_for


def test_it_requests_a_call_review_due_after_the_turnaround(
    org, submissions, settings, time_machine
):
    time_machine.move_to("2026-03-02 09:00Z", tick=False)
    settings.COACHING_TURNAROUND_HOURS = 48
    submission = submissions.requested()
    assert submission.kind == Submission.Kind.CALL
    assert submission.state == Submission.State.REQUESTED
    assert submission.due_at.isoformat() == "2026-03-04T09:00:00+00:00"
    take = submission.takes.get()
    assert (take.number, take.sent_at) == (1, submission.requested_at)


def test_it_refuses_a_recording_of_someone_else(org, rubric, recording):
    asset = recording(org.rep_east2)
    with pytest.raises(CoachingRefused, match="your own recordings"):
        services.call_review_request(
            rep=org.rep_east, asset=asset, title="Call", rubric=rubric
        )
    assert not Submission.objects.exists()


def test_it_refuses_a_recording_that_is_not_ready(org, rubric, recording):
    asset = recording(org.rep_east)
    asset.status = asset.Status.PROCESSING
    asset.save()
    with pytest.raises(CoachingRefused, match="still being processed"):
        services.call_review_request(
            rep=org.rep_east, asset=asset, title="Call", rubric=rubric
        )


def test_it_refuses_sending_one_recording_twice(org, rubric, submissions):
    submission = submissions.requested()
    asset = submission.takes.get().asset
    with pytest.raises(CoachingRefused, match="already sent"):
        services.call_review_request(
            rep=org.rep_east, asset=asset, title="Again", rubric=rubric
        )
    assert Submission.objects.count() == 1


def test_it_refuses_a_named_coach_who_does_not_coach_the_rep(org, submissions):
    with pytest.raises(CoachingRefused, match="does not coach your team"):
        submissions.requested(coach=org.multi_coach)
    with pytest.raises(CoachingRefused, match="does not coach your team"):
        submissions.requested(rep=org.rep_east, coach=org.rep_east)


def test_it_refuses_a_request_when_nobody_coaches_the_team(org, rubric, recording):
    asset = recording(org.loner)
    with pytest.raises(CoachingRefused, match="Nobody coaches your team"):
        services.call_review_request(
            rep=org.loner, asset=asset, title="Call", rubric=rubric
        )


def test_it_refuses_an_empty_title_and_an_unknown_deal_stage(org, rubric, recording):
    asset = recording(org.rep_east)
    with pytest.raises(CoachingRefused, match="title"):
        services.call_review_request(
            rep=org.rep_east, asset=asset, title="  ", rubric=rubric
        )
    with pytest.raises(CoachingRefused, match="deal stage"):
        services.call_review_request(
            rep=org.rep_east, asset=asset, title="Call", rubric=rubric, deal_stage="x"
        )
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    ("weights_and_levels", "expected"),
    [
        ([(100, 3)], "3.00"),
        ([(33, 4), (33, 4), (34, 5)], "4.34"),
        ([(25, 1), (25, 2), (25, 2), (25, 2)], "1.75"),
        # 0.125 and 0.375 would go down with banker's rounding; half up goes up.
        ([(1, 5), (1, 5), (1, 5), (97, 1)], "1.12"),
        ([(5, 5), (95, 1)], "1.20"),
        ([(45, 2), (55, 1)], "1.45"),
        ([(15, 1), (85, 1)], "1.00"),
        ([(99, 5), (1, 2)], "4.97"),
        ([(1, 2), (1, 3), (98, 1)], "1.03"),
        ([(20, 5), (30, 5), (30, 5), (20, 5)], "5.00"),
    ],
)
def test_it_weights_scores_to_two_places_half_up(weights_and_levels, expected):
    assert services.weighted_score(weights_and_levels) == Decimal(expected)


def test_it_rounds_half_up_not_to_even():
    # 12.5 / 100 = 0.125 exactly: half up gives 0.13, half even 0.12.
    assert services.weighted_score([(25, 1), (25, 0), (50, 0)]) == Decimal("0.25")
    assert services.weighted_score([(1, 1), (1, 1), (1, 0)]) == Decimal("0.02")
    assert services.weighted_score([(5, 2), (5, 0), (1, 1), (1, 1), (1, 1)]) == (
        Decimal("0.13")
    )


def test_it_starts_one_draft_review_per_coach_and_marks_the_request_in_review(
    org, submissions
):
    take = submissions.requested().takes.get()
    first = services.review_start(take=take, coach=org.east_coach)
    again = services.review_start(take=take, coach=org.east_coach)
    assert first.pk == again.pk
    assert first.state == Review.State.DRAFT
    assert Review.objects.count() == 1
    take.submission.refresh_from_db()
    assert take.submission.state == Submission.State.IN_REVIEW


def test_it_refuses_a_review_from_someone_who_is_not_a_routed_coach(org, submissions):
    take = submissions.requested().takes.get()
    for person in (org.multi_coach, org.east_manager, org.admin, org.rep_east2):
        with pytest.raises(CoachingRefused):
            services.review_start(take=take, coach=person)
    named = submissions.requested(coach=org.east_coach, title="Initech").takes.get()
    assert services.review_start(take=named, coach=org.east_coach)


def test_it_submits_a_review_with_the_score_computed_on_the_server(
    org, submissions, rubric, django_capture_on_commit_callbacks
):
    review = submissions.in_review()
    with django_capture_on_commit_callbacks() as callbacks:
        submitted = services.review_submit(
            review=review,
            coach=org.east_coach,
            levels=levels_for(rubric, 4, 3, 2, 5),
            summary="  Good agenda.  ",
            outcome="resubmit",
        )
    # 20*4 + 30*3 + 30*2 + 20*5 = 330 -> 3.30
    assert submitted.score == Decimal("3.30")
    assert submitted.passed is True
    assert submitted.summary == "Good agenda."
    assert submitted.state == Review.State.SUBMITTED
    assert sorted(submitted.scores.values_list("level", flat=True)) == [2, 3, 4, 5]
    submission = submitted.take.submission
    submission.refresh_from_db()
    assert (submission.state, submission.outcome) == ("reviewed", "resubmit")
    assert len(callbacks) == 2


def test_it_stores_a_score_below_the_threshold_as_not_passed(org, submissions):
    review = submissions.reviewed(levels=(3, 2, 3, 2))
    assert review.score == Decimal("2.50")
    assert review.passed is False


@pytest.mark.parametrize(
    "levels",
    [
        "none",
        "missing one",
        "zero",
        "six",
        "text",
        "unknown criterion",
    ],
)
def test_it_refuses_incomplete_or_out_of_range_scores(org, submissions, rubric, levels):
    review = submissions.in_review()
    good = levels_for(rubric, 4, 4, 4, 4)
    first = next(iter(good))
    bad = {
        "none": {},
        "missing one": {k: v for k, v in good.items() if k != first},
        "zero": {**good, first: 0},
        "six": {**good, first: 6},
        "text": {**good, first: "4"},
        "unknown criterion": {**good, 999999: 3},
    }[levels]
    with pytest.raises(CoachingRefused):
        services.review_submit(
            review=review,
            coach=org.east_coach,
            levels=bad,
            summary="",
            outcome="approved",
        )
    review.refresh_from_db()
    assert review.state == Review.State.DRAFT
    assert not review.scores.exists()


def test_it_refuses_an_unknown_outcome(org, submissions, rubric):
    review = submissions.in_review()
    with pytest.raises(CoachingRefused, match="approve or resubmit"):
        services.review_submit(
            review=review,
            coach=org.east_coach,
            levels=levels_for(rubric, 4, 4, 4, 4),
            summary="",
            outcome="passed",
        )


def test_it_refuses_a_second_submit(org, submissions, rubric):
    review = submissions.reviewed()
    with pytest.raises(CoachingRefused, match="already submitted"):
        services.review_submit(
            review=review,
            coach=org.east_coach,
            levels=levels_for(rubric, 1, 1, 1, 1),
            summary="Changed my mind",
            outcome="resubmit",
        )
    review.refresh_from_db()
    assert (review.score, review.outcome) == (Decimal("3.90"), "approved")


def test_it_refuses_a_submit_by_another_coach(org, submissions, rubric):
    review = submissions.in_review()
    with pytest.raises(CoachingRefused, match="not your review"):
        services.review_submit(
            review=review,
            coach=org.multi_coach,
            levels=levels_for(rubric, 4, 4, 4, 4),
            summary="",
            outcome="approved",
        )


def test_it_lets_only_the_first_coach_decide_a_take(org, submissions, rubric):
    second_coach = org.east_coach.__class__.objects.create_user(
        email="second@example.com", password="x", full_name="Sam Second"
    )
    org.east.coaches.add(second_coach)
    review = submissions.in_review()
    other = services.review_start(take=review.take, coach=second_coach)
    services.review_submit(
        review=review,
        coach=org.east_coach,
        levels=levels_for(rubric, 4, 4, 4, 4),
        summary="",
        outcome="approved",
    )
    with pytest.raises(CoachingRefused, match="already reviewed"):
        services.review_submit(
            review=other,
            coach=second_coach,
            levels=levels_for(rubric, 1, 1, 1, 1),
            summary="",
            outcome="resubmit",
        )
    third_coach = org.east_coach.__class__.objects.create_user(
        email="third@example.com", password="x", full_name="Tia Third"
    )
    org.east.coaches.add(third_coach)
    with pytest.raises(CoachingRefused, match="not waiting"):
        services.review_start(take=review.take, coach=third_coach)


# Practice


def test_it_adds_practice_takes_to_one_draft_submission(org, practice, recording):
    first = services.practice_take_add(
        rep=org.rep_east, practice=practice, asset=recording(org.rep_east)
    )
    second = services.practice_take_add(
        rep=org.rep_east, practice=practice, asset=recording(org.rep_east)
    )
    assert first.submission_id == second.submission_id
    assert (first.number, second.number) == (1, 2)
    submission = first.submission
    assert submission.state == Submission.State.DRAFT
    assert submission.kind == Submission.Kind.PRACTICE
    assert submission.rubric == practice.rubric


def test_it_refuses_a_take_longer_than_the_practice_allows(org, practice, recording):
    practice.max_seconds = 10
    practice.save()
    asset = recording(org.rep_east)
    asset.duration = 11.5  # as the pipeline measured it
    asset.save()
    with pytest.raises(CoachingRefused, match="0:11 long; the limit is 0:10"):
        services.practice_take_add(rep=org.rep_east, practice=practice, asset=asset)
    assert not Take.objects.exists()
    asset.duration = 10.6  # within the container's rounding
    asset.save()
    assert services.practice_take_add(rep=org.rep_east, practice=practice, asset=asset)


def test_it_refuses_more_takes_than_the_practice_allows(org, practice, recording):
    practice.max_takes = 2
    practice.save()
    for _ in range(2):
        services.practice_take_add(
            rep=org.rep_east, practice=practice, asset=recording(org.rep_east)
        )
    with pytest.raises(CoachingRefused, match="all 2 takes"):
        services.practice_take_add(
            rep=org.rep_east, practice=practice, asset=recording(org.rep_east)
        )
    assert Take.objects.count() == 2


def test_it_asks_for_a_self_review_before_sending(org, practice_take, rubric):
    with pytest.raises(CoachingRefused, match="Score your take"):
        services.take_send(take=practice_take, user=org.rep_east)
    review = services.self_review_save(
        take=practice_take, user=org.rep_east, levels=levels_for(rubric, 3, 3, 4, 4)
    )
    assert review.is_self_review and review.state == Review.State.SUBMITTED
    assert review.score == Decimal("3.50")
    again = services.self_review_save(
        take=practice_take, user=org.rep_east, levels=levels_for(rubric, 5, 5, 5, 5)
    )
    assert again.pk == review.pk and again.score == Decimal("5.00")
    assert again.scores.count() == 4
    submission = services.take_send(take=practice_take, user=org.rep_east)
    assert submission.state == Submission.State.REQUESTED
    assert submission.due_at is not None
    with pytest.raises(CoachingRefused, match="already sent"):
        services.self_review_save(
            take=practice_take, user=org.rep_east, levels=levels_for(rubric, 1, 1, 1, 1)
        )


def test_it_sends_a_take_only_for_its_rep(org, practice_take, practice):
    practice.self_review = False
    practice.save()
    with pytest.raises(CoachingRefused, match="Only the rep"):
        services.take_send(take=practice_take, user=org.rep_east2)
    with pytest.raises(CoachingRefused, match="Only the rep"):
        services.self_review_save(take=practice_take, user=org.east_coach, levels={})


def test_it_refuses_a_second_pending_take(org, practice, practice_take, recording):
    practice.self_review = False
    practice.save()
    services.take_send(take=practice_take, user=org.rep_east)
    with pytest.raises(CoachingRefused, match="waiting for review"):
        services.practice_take_add(
            rep=org.rep_east, practice=practice, asset=recording(org.rep_east)
        )
    with pytest.raises(CoachingRefused, match="already sent"):
        services.take_send(take=practice_take, user=org.rep_east)


def test_it_keeps_the_old_review_when_a_resubmitted_take_is_reviewed_again(
    org, practice, practice_take, recording, rubric
):
    practice.self_review = False
    practice.save()
    services.take_send(take=practice_take, user=org.rep_east)
    first_review = services.review_start(take=practice_take, coach=org.east_coach)
    services.review_submit(
        review=first_review,
        coach=org.east_coach,
        levels=levels_for(rubric, 2, 2, 2, 2),
        summary="Slow down.",
        outcome="resubmit",
    )
    assert not LessonCompletion.objects.filter(user=org.rep_east).exists()

    second_take = services.practice_take_add(
        rep=org.rep_east, practice=practice, asset=recording(org.rep_east)
    )
    assert second_take.submission_id == practice_take.submission_id
    assert second_take.number == 2
    # The old take is no longer the one under review.
    with pytest.raises(CoachingRefused):
        services.comment_add(
            take=practice_take,
            author=org.east_coach,
            text="Late",
            start_seconds=1,
            kind="improve",
        )
    submission = services.take_send(take=second_take, user=org.rep_east)
    assert (submission.state, submission.outcome) == ("requested", "")
    second_review = services.review_start(take=second_take, coach=org.east_coach)
    assert second_review.pk != first_review.pk
    services.review_submit(
        review=second_review,
        coach=org.east_coach,
        levels=levels_for(rubric, 4, 4, 4, 4),
        summary="Much better.",
        outcome="approved",
    )
    first_review.refresh_from_db()
    assert (first_review.outcome, first_review.score) == ("resubmit", Decimal("2.00"))
    assert Review.objects.filter(take__submission=submission).count() == 2
    completion = LessonCompletion.objects.get(user=org.rep_east)
    assert completion.lesson_id == practice.pk
    assert completion.how == LessonCompletion.How.PRACTICE_APPROVED
    with pytest.raises(CoachingRefused, match="already approved"):
        services.practice_take_add(
            rep=org.rep_east, practice=practice, asset=recording(org.rep_east)
        )


def test_it_completes_the_course_when_the_practice_is_its_last_step(
    org, catalogue, practice, practice_take, rubric, django_capture_on_commit_callbacks
):
    from courses.services import lesson_complete
    from courses.signals import course_completed

    for lesson in (catalogue.intro, catalogue.video_lesson, catalogue.wrap_up):
        lesson_complete(user=org.rep_east, lesson=lesson, how="read")
    practice.self_review = False
    practice.save()
    services.take_send(take=practice_take, user=org.rep_east)
    review = services.review_start(take=practice_take, coach=org.east_coach)
    completed = []

    def listener(sender, user, course, **kwargs):
        completed.append((user, course.pk))

    course_completed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.review_submit(
                review=review,
                coach=org.east_coach,
                levels=levels_for(rubric, 4, 4, 4, 4),
                summary="",
                outcome="approved",
            )
    finally:
        course_completed.disconnect(listener)
    assert completed == [(org.rep_east, catalogue.course.pk)]


def test_it_sends_the_review_submitted_signal_after_commit(
    org, submissions, rubric, django_capture_on_commit_callbacks
):
    from coaching.signals import review_submitted

    seen = []

    def listener(sender, review, **kwargs):
        seen.append((review.pk, review.outcome, review.score))

    review_submitted.connect(listener)
    try:
        review = submissions.in_review()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.review_submit(
                review=review,
                coach=org.east_coach,
                levels=levels_for(rubric, 5, 5, 5, 5),
                summary="",
                outcome="approved",
            )
        assert seen == []
        for callback in callbacks:
            callback()
    finally:
        review_submitted.disconnect(listener)
    assert (review.pk, "approved", Decimal("5.00")) in seen


# Comments


def test_it_adds_a_coach_comment_to_their_draft_review(org, submissions):
    take = submissions.requested().takes.get()
    comment = services.comment_add(
        take=take,
        author=org.east_coach,
        text="Ask about budget here.",
        start_seconds="1.5",
        end_seconds=2.25,
        kind="improve",
    )
    assert comment.review.reviewer == org.east_coach
    assert comment.review.state == Review.State.DRAFT
    assert (comment.start_seconds, comment.end_seconds) == (
        Decimal("1.50"),
        Decimal("2.25"),
    )
    take.submission.refresh_from_db()
    assert take.submission.state == Submission.State.IN_REVIEW


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (-0.5, None, "outside the recording"),
        (3.5, None, "outside the recording"),
        (1, 4, "within the recording"),
        (2, 2, "ends after it starts"),
        (2, 1, "ends after it starts"),
        ("nan", None, "number of seconds"),
        ("inf", None, "number of seconds"),
        ("soon", None, "number of seconds"),
        (None, None, "needs a time"),
        (1, "later", "number of seconds"),
    ],
)
def test_it_refuses_comments_outside_the_recording(
    org, submissions, start, end, message
):
    take = submissions.requested().takes.get()
    assert 2.9 < take.asset.duration < 3.2  # the real clip, as measured
    with pytest.raises(CoachingRefused, match=message):
        services.comment_add(
            take=take,
            author=org.east_coach,
            text="Here",
            start_seconds=start,
            end_seconds=end,
            kind="praise",
        )
    assert not Comment.objects.exists()


def test_it_accepts_comments_at_both_ends_of_the_recording(org, submissions):
    take = submissions.requested().takes.get()
    end = Decimal(str(take.asset.duration)).quantize(Decimal("0.01"))
    for start in (0, end):
        services.comment_add(
            take=take, author=org.east_coach, text="Edge", start_seconds=start,
            kind="question",
        )  # fmt: skip
    assert Comment.objects.count() == 2


def test_it_refuses_empty_long_or_kindless_comments(org, submissions):
    take = submissions.requested().takes.get()
    for text, kind, message in [
        ("   ", "praise", "Write something"),
        ("x" * 2001, "praise", "under 2000"),
        ("Fine", "", "praise, improve or question"),
        ("Fine", "nice", "praise, improve or question"),
    ]:
        with pytest.raises(CoachingRefused, match=message):
            services.comment_add(
                take=take, author=org.east_coach, text=text, start_seconds=1, kind=kind
            )
    assert not Comment.objects.exists()


def test_it_refuses_top_level_comments_from_anyone_but_a_routed_coach(org, submissions):
    take = submissions.requested().takes.get()
    for person in (org.rep_east, org.east_manager, org.admin, org.multi_coach):
        with pytest.raises(CoachingRefused):
            services.comment_add(
                take=take, author=person, text="Hi", start_seconds=1, kind="praise"
            )


def test_it_hides_a_coach_draft_until_the_review_is_submitted(org, submissions, rubric):
    review = submissions.in_review()
    take = review.take
    draft = review.comments.get()
    assert list(selectors.comments_visible_to(org.east_coach, take)) == [draft]
    for person in (org.rep_east, org.east_manager, org.admin):
        assert not selectors.comments_visible_to(person, take).exists()
    with pytest.raises(CoachingRefused, match="not there"):
        services.comment_add(take=take, author=org.rep_east, text="?", parent=draft)
    services.review_submit(
        review=review,
        coach=org.east_coach,
        levels=levels_for(rubric, 4, 4, 4, 4),
        summary="",
        outcome="approved",
    )
    for person in (org.rep_east, org.east_manager, org.admin, org.east_coach):
        assert list(selectors.comments_visible_to(person, take)) == [draft]
    for person in (org.rep_east2, org.multi_coach, org.emea_manager, org.loner):
        assert not selectors.comments_visible_to(person, take).exists()


def test_it_threads_replies_one_level_under_the_root(org, submissions):
    review = submissions.reviewed()
    root = review.comments.get()
    reply = services.comment_add(
        take=review.take, author=org.rep_east, text="What should I ask?", parent=root
    )
    answer = services.comment_add(
        take=review.take,
        author=org.east_coach,
        text="Ask what happens if they do nothing.",
        parent=reply,
        start_seconds=99,
    )
    assert reply.parent_id == root.pk and answer.parent_id == root.pk
    assert answer.review is None and answer.start_seconds is None
    assert list(root.replies.order_by("created_at", "pk")) == [reply, answer]
    with pytest.raises(CoachingRefused, match="Only the rep and their coaches"):
        services.comment_add(
            take=review.take, author=org.east_manager, text="+1", parent=root
        )


def test_it_keeps_a_reply_inside_the_coach_own_draft_private(org, submissions):
    review = submissions.in_review()
    root = review.comments.get()
    note = services.comment_add(
        take=review.take, author=org.east_coach, text="Also: pace.", parent=root
    )
    assert note.review_id == review.pk
    assert not selectors.comments_visible_to(org.rep_east, review.take).exists()


def test_it_deletes_own_comments_only_while_allowed(org, submissions, rubric):
    review = submissions.in_review()
    comment = review.comments.get()
    with pytest.raises(CoachingRefused, match="your own"):
        services.comment_delete(comment=comment, author=org.east_manager)
    extra = services.comment_add(
        take=review.take, author=org.east_coach, text="Gone", start_seconds=2,
        kind="question",
    )  # fmt: skip
    services.comment_delete(comment=extra, author=org.east_coach)
    services.review_submit(
        review=review,
        coach=org.east_coach,
        levels=levels_for(rubric, 4, 4, 4, 4),
        summary="",
        outcome="approved",
    )
    with pytest.raises(CoachingRefused, match="final"):
        services.comment_delete(comment=comment, author=org.east_coach)
    with pytest.raises(CoachingRefused, match="submitted"):
        services.comment_add(
            take=review.take, author=org.east_coach, text="Late", start_seconds=1,
            kind="praise",
        )  # fmt: skip
    reply = services.comment_add(
        take=review.take, author=org.rep_east, text="Thanks", parent=comment
    )
    services.comment_delete(comment=reply, author=org.rep_east)
    assert list(Comment.objects.all()) == [comment]


def test_it_refuses_replies_across_takes_and_from_outsiders(org, submissions):
    review = submissions.reviewed()
    root = review.comments.get()
    other_take = submissions.requested(rep=org.rep_east2, title="Other").takes.get()
    with pytest.raises(CoachingRefused, match="not there"):
        services.comment_add(
            take=other_take, author=org.east_coach, text="Moved", parent=root
        )
    for outsider in (org.rep_east2, org.multi_coach, org.emea_manager, org.admin):
        with pytest.raises(CoachingRefused):
            services.comment_add(
                take=review.take, author=outsider, text="Hello", parent=root
            )
    assert not Comment.objects.filter(parent=root).exists()
