"""Playback: only for the people allowed, with correct HTTP Range answers."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.storage import storages
from django.urls import reverse

from media.models import MediaAsset

pytestmark = pytest.mark.django_db


@pytest.fixture
def recording(org, make_ready_recording):
    return make_ready_recording(org.rep_east)


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _stored(asset) -> bytes:
    return storages["private"].open(asset.playback).read()


@pytest.mark.parametrize(
    ("viewer", "status"),
    [
        ("rep_east", 200),  # the owner
        ("east_manager", 200),
        ("region_manager", 200),
        ("admin", 200),
        ("rep_east2", 404),  # a rep of the same team
        ("rep_west", 404),  # another team's rep
        ("emea_manager", 404),  # another team's manager
        ("multi_coach", 404),  # another team's coach
        # The team's coach: only for a take sent for review to them
        # (tests/coaching/test_recording_access.py).
        ("east_coach", 404),
    ],
)
def test_it_plays_a_recording_only_for_those_who_may_see_it(
    client, org, recording, viewer, status
):
    client.force_login(org[viewer])
    for url in (
        recording.playback_url,
        recording.poster_url,
        recording.status_url,
        recording.get_absolute_url(),
    ):
        assert client.get(url).status_code == status, url


def test_it_answers_anonymous_visitors_and_forged_ids_with_404(client, org, recording):
    assert client.get(recording.playback_url).status_code == 404
    client.force_login(org.rep_east)
    forged = reverse("media_playback", args=[uuid.uuid4()])
    assert client.get(forged).status_code == 404


def test_it_serves_the_whole_file_with_range_support(client, org, recording):
    client.force_login(org.rep_east)
    response = client.get(recording.playback_url)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert int(response["Content-Length"]) == recording.playback_size
    assert _body(response) == _stored(recording)


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=1000-1999", 1000, 1999),
        ("bytes=-500", None, None),
    ],
)
def test_it_serves_the_range_asked_for(client, org, recording, header, first, last):
    client.force_login(org.rep_east)
    size = recording.playback_size
    if first is None:
        first, last = size - 500, size - 1
    response = client.get(recording.playback_url, HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{size}"
    assert int(response["Content-Length"]) == last - first + 1
    assert _body(response) == _stored(recording)[first : last + 1]


def test_it_refuses_a_range_past_the_end(client, org, recording):
    client.force_login(org.rep_east)
    size = recording.playback_size
    response = client.get(recording.playback_url, HTTP_RANGE=f"bytes={size}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"


def test_it_sends_the_whole_file_when_if_range_does_not_match(client, org, recording):
    client.force_login(org.rep_east)
    etag = client.get(recording.playback_url)["ETag"]
    matching = client.get(
        recording.playback_url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag
    )
    stale = client.get(
        recording.playback_url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"old"'
    )
    assert (matching.status_code, stale.status_code) == (206, 200)


def test_it_hands_the_file_to_nginx_when_configured(client, org, recording, settings):
    settings.MEDIA_X_ACCEL_REDIRECT_PREFIX = "/protected/"
    client.force_login(org.rep_east)
    response = client.get(recording.playback_url)
    assert response["X-Accel-Redirect"] == f"/protected/{recording.playback}"
    assert response.content == b""


def test_it_serves_nothing_before_the_recording_is_ready(client, org):
    asset = MediaAsset.objects.create(owner=org.rep_east, title="x", upload_length=10)
    client.force_login(org.rep_east)
    assert client.get(asset.playback_url).status_code == 404
    page = client.get(asset.get_absolute_url())
    assert page.status_code == 200
    assert "Uploading" in page.content.decode()
    assert client.get(asset.status_url).json()["status"] == "uploading"


def test_it_lets_only_the_owner_delete_a_recording(
    client, org, recording, django_capture_on_commit_callbacks
):
    url = reverse("recording_delete", args=[recording.public_id])
    client.force_login(org.east_manager)
    assert client.post(url).status_code == 403
    client.force_login(org.rep_west)
    assert client.post(url).status_code == 404
    client.force_login(org.rep_east)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert not MediaAsset.objects.exists()
    assert not storages["private"].exists(recording.playback)


def test_it_lists_only_my_own_recordings(client, org, make_ready_recording):
    mine = make_ready_recording(org.rep_east)
    theirs = make_ready_recording(org.rep_east2, title="Someone else's call")
    client.force_login(org.rep_east)
    page = client.get(reverse("recording_list")).content.decode()
    assert mine.get_absolute_url() in page
    assert theirs.get_absolute_url() not in page


def test_it_shows_the_player_with_its_waveform(client, org, recording):
    client.force_login(org.east_manager)
    page = client.get(recording.get_absolute_url()).content.decode()
    assert f'src="{recording.playback_url}"' in page
    assert 'id="waveform-peaks"' in page


def test_it_limits_a_browser_take_to_what_the_page_asks(client, org):
    client.force_login(org.rep_east)
    assert client.get("/recordings/record/?max=120").context["max_seconds"] == 120
    assert client.get("/recordings/record/?max=999999").context["max_seconds"] == 7200
    assert client.get("/recordings/record/?max=abc").context["max_seconds"] == 600


def test_it_answers_head_requests_without_a_body(client, org, recording):
    client.force_login(org.rep_east)
    response = client.head(recording.playback_url, HTTP_RANGE="bytes=0-9")
    assert response.status_code == 206
    assert response["Content-Length"] == "10"
    assert response.content == b""


@pytest.mark.parametrize("header", ["bytes=" + "9" * 5000 + "-", "bytes=²-"])
def test_it_answers_a_malformed_range_with_the_whole_file(
    client, org, recording, header
):
    client.force_login(org.rep_east)
    assert client.get(recording.playback_url, HTTP_RANGE=header).status_code == 200


def test_it_ignores_a_malformed_take_length(client, org):
    client.force_login(org.rep_east)
    for asked in ("%C2%B2", "9" * 5000):
        assert (
            client.get(f"/recordings/record/?max={asked}").context["max_seconds"] == 600
        )
