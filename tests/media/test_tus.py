"""The tus 1.0.0 server at /uploads/: protocol, limits, ownership."""

from __future__ import annotations

import base64
import hashlib

import pytest
from django.core.files.storage import storages

from media.models import MediaAsset

pytestmark = pytest.mark.django_db

TUS = {"HTTP_TUS_RESUMABLE": "1.0.0"}


def _meta(**values: str) -> str:
    return ",".join(
        f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items()
    )


def _create(client, length, **metadata):
    return client.post(
        "/uploads/",
        HTTP_UPLOAD_LENGTH=str(length),
        HTTP_UPLOAD_METADATA=_meta(filename="call.mp4", **metadata),
        **TUS,
    )


def _patch(client, url, offset, data):
    return client.generic(
        "PATCH",
        url,
        data,
        content_type="application/offset+octet-stream",
        HTTP_UPLOAD_OFFSET=str(offset),
        **TUS,
    )


@pytest.fixture
def rep_client(client, rep_factory):
    rep = rep_factory()
    client.force_login(rep)
    client.user = rep
    return client


def test_it_announces_the_protocol_on_options(client):
    response = client.options("/uploads/")
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0"
    assert set(response["Tus-Extension"].split(",")) == {"creation", "termination"}
    assert int(response["Tus-Max-Size"]) == 2 * 1024**3


def test_it_uploads_in_chunks_and_queues_processing(
    rep_client, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr("media.tasks.asset_process_task.delay", queued.append)
    payload = bytes(range(256)) * 40  # 10 240 bytes
    created = _create(rep_client, len(payload), title="Acme discovery")
    assert created.status_code == 201
    url = created["Location"]
    assert url.startswith("http://testserver/uploads/")

    assert _patch(rep_client, url, 0, payload[:4000])["Upload-Offset"] == "4000"
    head = rep_client.head(url, **TUS)
    assert (head["Upload-Offset"], head["Upload-Length"]) == ("4000", str(len(payload)))
    with django_capture_on_commit_callbacks(execute=True):
        done = _patch(rep_client, url, 4000, payload[4000:])
    assert done.status_code == 204
    assert done["Upload-Offset"] == str(len(payload))

    asset = MediaAsset.objects.get()
    assert asset.title == "Acme discovery"
    assert asset.owner == rep_client.user
    assert asset.status == MediaAsset.Status.UPLOADED
    assert queued == [asset.pk]
    storage = storages["private"]
    stored = b"".join(storage.open(name).read() for name in asset.chunks)
    assert hashlib.sha256(stored).digest() == hashlib.sha256(payload).digest()


def test_it_refuses_a_wrong_offset_and_changes_nothing(rep_client):
    url = _create(rep_client, 100)["Location"]
    assert _patch(rep_client, url, 10, b"x" * 10).status_code == 409
    asset = MediaAsset.objects.get()
    assert (asset.upload_offset, asset.chunks) == (0, [])


def test_it_refuses_more_bytes_than_announced(rep_client):
    url = _create(rep_client, 10)["Location"]
    assert _patch(rep_client, url, 0, b"x" * 11).status_code == 413
    assert MediaAsset.objects.get().upload_offset == 0


def test_it_refuses_a_file_over_the_limit_before_it_is_sent(rep_client, settings):
    settings.MEDIA_MAX_UPLOAD_BYTES = 1000
    response = _create(rep_client, 1001)
    assert response.status_code == 413
    assert "the limit is 1000 bytes" in response.content.decode()
    assert not MediaAsset.objects.exists()


def test_it_enforces_the_storage_quota(rep_client, settings):
    settings.MEDIA_USER_QUOTA_BYTES = 1500
    assert _create(rep_client, 1000).status_code == 201
    refused = _create(rep_client, 1000)
    assert refused.status_code == 413
    assert "storage is full" in refused.content.decode()


def test_it_refuses_lesson_videos_from_reps(rep_client):
    assert _create(rep_client, 100, kind="lesson_video").status_code == 403


def test_it_requires_the_tus_header_and_a_signed_in_person(client, rep_client):
    assert rep_client.post("/uploads/", HTTP_UPLOAD_LENGTH="10").status_code == 412
    client.logout()
    assert client.post("/uploads/", HTTP_UPLOAD_LENGTH="10", **TUS).status_code == 401


def test_it_refuses_bad_headers_with_a_reason(rep_client):
    assert (
        rep_client.post("/uploads/", HTTP_UPLOAD_LENGTH="ten", **TUS).status_code == 400
    )
    bad_meta = rep_client.post(
        "/uploads/", HTTP_UPLOAD_LENGTH="10", HTTP_UPLOAD_METADATA="filename !!!", **TUS
    )
    assert bad_meta.status_code == 400
    url = _create(rep_client, 10)["Location"]
    wrong_type = rep_client.generic(
        "PATCH", url, b"x", content_type="text/plain", HTTP_UPLOAD_OFFSET="0", **TUS
    )
    assert wrong_type.status_code == 415


def test_it_hides_an_upload_from_everyone_but_its_owner(
    rep_client, client, rep_factory
):
    url = _create(rep_client, 10)["Location"]
    other = rep_factory()
    client.force_login(other)
    assert client.head(url, **TUS).status_code == 404
    assert _patch(client, url, 0, b"x" * 10).status_code == 404
    assert client.delete(url, **TUS).status_code == 404


def test_it_terminates_an_upload_and_removes_its_files(
    rep_client, django_capture_on_commit_callbacks
):
    url = _create(rep_client, 100)["Location"]
    _patch(rep_client, url, 0, b"x" * 50)
    chunk = MediaAsset.objects.get().chunks[0]
    with django_capture_on_commit_callbacks(execute=True):
        assert rep_client.delete(url, **TUS).status_code == 204
    assert not MediaAsset.objects.exists()
    assert not storages["private"].exists(chunk)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_UPLOAD_LENGTH": "²"},
        {"HTTP_UPLOAD_LENGTH": "9" * 5000},
        {
            "HTTP_UPLOAD_LENGTH": "10",
            "HTTP_UPLOAD_METADATA": "filename "
            + base64.b64encode(b"a\x00.mp4").decode(),
        },
    ],
)
def test_it_answers_malformed_creation_headers_with_400(rep_client, headers):
    assert rep_client.post("/uploads/", **headers, **TUS).status_code == 400
    assert not MediaAsset.objects.exists()


def test_it_answers_a_malformed_offset_with_400(rep_client):
    url = _create(rep_client, 10)["Location"]
    assert _patch(rep_client, url, "²", b"x").status_code == 400


def test_it_never_changes_anything_through_a_method_override_on_get(rep_client):
    url = _create(rep_client, 10)["Location"]
    rep_client.get(url, HTTP_X_HTTP_METHOD_OVERRIDE="DELETE", **TUS)
    assert MediaAsset.objects.exists()


def test_it_stops_an_upload_sent_in_too_many_pieces(rep_client, monkeypatch):
    monkeypatch.setattr("media.services.MAX_CHUNKS", 3)
    url = _create(rep_client, 10)["Location"]
    for offset in range(3):
        assert _patch(rep_client, url, offset, b"x").status_code == 204
    refused = _patch(rep_client, url, 3, b"x")
    assert refused.status_code == 409
    assert "too many small pieces" in refused.content.decode()


def test_it_drops_the_bytes_of_a_patch_that_lost_a_race_with_termination(rep_client):
    from media import services

    _create(rep_client, 10)
    asset = MediaAsset.objects.get()
    MediaAsset.objects.filter(pk=asset.pk).delete()
    import io

    with pytest.raises(services.UploadRefused) as refusal:
        services.upload_append(asset=asset, offset=0, stream=io.BytesIO(b"x" * 5))
    assert refusal.value.status == 404
    assert services._walk(storages["private"], asset.storage_prefix) == []
