"""Lesson videos in the Wagtail admin: uploaded by admins, chosen for lessons."""

from __future__ import annotations

import pytest
from django.urls import reverse

from media.models import MediaAsset
from tests.factories import make_admin

pytestmark = pytest.mark.django_db


def test_it_shows_enablement_admins_the_lesson_videos_and_the_uploader(
    client, org, make_ready_recording
):
    video = make_ready_recording(
        org.admin, kind=MediaAsset.Kind.LESSON_VIDEO, title="Demo skills"
    )
    client.force_login(org.admin)
    page = client.get(reverse("lesson_videos:index")).content.decode()
    assert "Demo skills" in page
    assert 'data-kind="lesson_video"' in page
    detail = client.get(reverse("lesson_videos:detail", args=[video.public_id]))
    assert f'src="{video.playback_url}"' in detail.content.decode()


def test_it_keeps_reps_and_managers_out_of_lesson_video_admin(client, org):
    for person in (org.rep_east, org.east_manager):
        client.force_login(person)
        response = client.get(reverse("lesson_videos:index"))
        assert response.status_code == 302


def test_it_offers_only_ready_lesson_videos_in_the_chooser(
    client, org, make_ready_recording
):
    ready = make_ready_recording(
        org.admin, kind=MediaAsset.Kind.LESSON_VIDEO, title="Ready one"
    )
    MediaAsset.objects.create(
        owner=org.admin,
        kind=MediaAsset.Kind.LESSON_VIDEO,
        title="Still uploading",
        upload_length=9,
    )
    make_ready_recording(org.rep_east, title="A rep's call")
    client.force_login(org.admin)
    response = client.get(reverse("lesson_video_chooser:choose"))
    html = response.json()["html"]
    assert "Ready one" in html
    assert "Still uploading" not in html
    assert "A rep's call" not in html
    assert ready.pk


def test_it_lets_everyone_signed_in_play_a_ready_lesson_video(
    client, org, make_ready_recording
):
    video = make_ready_recording(org.admin, kind=MediaAsset.Kind.LESSON_VIDEO)
    client.force_login(org.rep_north)
    assert client.get(video.playback_url).status_code == 200
    client.logout()
    assert client.get(video.playback_url).status_code == 404


def test_it_deletes_a_lesson_video_for_an_admin(
    client, org, make_ready_recording, django_capture_on_commit_callbacks
):
    video = make_ready_recording(make_admin(), kind=MediaAsset.Kind.LESSON_VIDEO)
    client.force_login(org.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("lesson_videos:delete", args=[video.public_id]))
    assert response.status_code == 302
    assert not MediaAsset.objects.exists()
