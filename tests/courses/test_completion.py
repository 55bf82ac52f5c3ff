"""Completing lessons: by reading, by watching 90% of the video (a union of ranges)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import LessonCompletion, WatchProgress
from courses.signals import course_completed

pytestmark = pytest.mark.django_db


def test_it_merges_ranges_into_their_union():
    assert services.merge_ranges([(5, 10), (0, 3), (2, 6), (20, 25)]) == [
        (0, 10),
        (20, 25),
    ]
    assert services.covered_seconds([(0, 10), (5, 15), (30, 31)]) == 16


def test_it_completes_a_reading_lesson_when_the_reader_says_so(client, org, catalogue):
    client.force_login(org.rep_east)
    response = client.post(reverse("lesson_mark_read", args=[catalogue.intro.pk]))
    assert response.status_code == 302
    assert response["Location"] == catalogue.video_lesson.url
    completion = LessonCompletion.objects.get()
    assert (completion.user, completion.lesson, completion.how) == (
        org.rep_east,
        catalogue.intro,
        "read",
    )
    client.post(reverse("lesson_mark_read", args=[catalogue.intro.pk]))
    assert LessonCompletion.objects.count() == 1


def test_it_never_completes_a_video_lesson_by_a_click(client, org, catalogue):
    client.force_login(org.rep_east)
    client.post(reverse("lesson_mark_read", args=[catalogue.video_lesson.pk]))
    assert not LessonCompletion.objects.exists()


def _report(client, catalogue, ranges, position=0):
    return client.post(
        reverse("lesson_watch", args=[catalogue.video_lesson.pk]),
        {"ranges": ranges, "position": position},
        content_type="application/json",
    )


def _age_watch(org, catalogue, seconds):
    """Let real time pass since the page was opened or last reported."""
    WatchProgress.objects.filter(user=org.rep_east).update(
        updated_at=timezone.now() - dt.timedelta(seconds=seconds)
    )


def test_it_completes_a_video_lesson_at_90_percent_across_seeks_and_reloads(
    client, org, catalogue
):
    duration = catalogue.video.duration  # about 3 s
    client.force_login(org.rep_east)
    client.get(catalogue.video_lesson.url)  # opens: real time starts here
    _age_watch(org, catalogue, 60)

    first = _report(client, catalogue, [[0, duration * 0.5]]).json()
    assert (first["watched_percent"], first["completed"]) == (50, False)

    # A reload: the player's ranges start again, and seeking back adds nothing new.
    client.get(catalogue.video_lesson.url)
    _age_watch(org, catalogue, 60)
    again = _report(client, catalogue, [[0, duration * 0.3]]).json()
    assert again["watched_percent"] == 50

    # Another day, the rest but for the last 5%.
    _age_watch(org, catalogue, 3600 * 24)
    done = _report(
        client, catalogue, [[duration * 0.5, duration * 0.95]], position=2
    ).json()
    assert done["completed"] is True
    assert LessonCompletion.objects.get().how == "watched"
    assert WatchProgress.objects.get().position == 2


def test_it_refuses_reports_beyond_the_video_or_faster_than_real_time(
    client, org, catalogue, make_ready_recording
):
    from media.models import MediaAsset

    long_video = make_ready_recording(org.admin, kind=MediaAsset.Kind.LESSON_VIDEO)
    MediaAsset.objects.filter(pk=long_video.pk).update(duration=600)
    lesson = catalogue.video_lesson
    lesson.body = [
        ("video", {"video": MediaAsset.objects.get(pk=long_video.pk), "caption": ""})
    ]
    lesson.save_revision().publish()
    client.force_login(org.rep_east)
    client.get(lesson.url)

    assert _report(client, catalogue, [[0, 700]]).status_code == 400  # past the end
    assert _report(client, catalogue, [[0, 600]]).status_code == 400  # too fast
    assert _report(client, catalogue, [["a", 1]]).status_code == 400
    assert not LessonCompletion.objects.exists()


def test_it_announces_a_completed_course_once(
    org, catalogue, django_capture_on_commit_callbacks
):
    heard = []

    def receiver(sender, user, course, **kwargs):
        heard.append((user, course))

    course_completed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.lesson_complete(
                user=org.rep_east, lesson=catalogue.intro, how="read"
            )
            services.lesson_complete(
                user=org.rep_east, lesson=catalogue.wrap_up, how="read"
            )
            assert heard == []
            services.lesson_complete(
                user=org.rep_east, lesson=catalogue.video_lesson, how="watched"
            )
            services.lesson_complete(
                user=org.rep_east, lesson=catalogue.extra, how="read"
            )
    finally:
        course_completed.disconnect(receiver)
    assert heard == [(org.rep_east, catalogue.course)]


def test_it_refuses_reports_that_are_not_numbers(client, org, catalogue):
    client.force_login(org.rep_east)
    client.get(catalogue.video_lesson.url)
    response = client.post(
        reverse("lesson_watch", args=[catalogue.video_lesson.pk]),
        '{"ranges": [[0, 1]], "position": NaN}',
        content_type="application/json",
    )
    assert response.status_code == 400


def test_it_keeps_completions_when_a_lesson_is_deleted(org, catalogue):
    services.lesson_complete(user=org.rep_east, lesson=catalogue.intro, how="read")
    catalogue.intro.delete()
    completion = LessonCompletion.objects.get()
    assert completion.lesson is None
    assert completion.lesson_title == "Why discovery"
