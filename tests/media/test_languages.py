"""Recordings in Spanish and Bengali: the pages, the uploader's refusals, and why an
upload failed, written in the uploader's language (the worker has no request)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from media import ffmpeg, services
from media.models import MediaAsset

pytestmark = pytest.mark.django_db


def _speaks(person, language: str) -> None:
    person.language = language
    person.save(update_fields=["language"])


def test_my_recordings_read_in_the_persons_language(client, org):
    _speaks(org.rep_east, "es")
    client.force_login(org.rep_east)

    page = client.get(reverse("recording_list")).text

    assert "<h1>Mis grabaciones</h1>" in page
    assert "Sube una grabación" in page
    assert "Aún no has subido ninguna grabación." in page
    assert ">Subir</button>" in page  # the uploader
    # The uploader's script gets its texts from the catalogue, loaded before it.
    assert page.index("/jsi18n/") < page.index("media/tus-upload.js")


def test_the_recorder_reads_in_bengali(client, org):
    _speaks(org.rep_east, "bn")
    client.force_login(org.rep_east)

    page = client.get(reverse("recording_record"), {"max": "90"}).text

    assert "ব্রাউজারে রেকর্ড করুন" in page  # Record in the browser
    assert "১:৩০ মিনিট পরে টেক নিজে থেকেই থেমে যায়" in page  # the take's limit


def test_a_failed_upload_says_why_in_the_uploaders_language(org):
    _speaks(org.rep_east, "bn")
    asset = MediaAsset.objects.create(owner=org.rep_east, title="x", upload_length=10)

    with translation.override("es"):  # the worker's language does not count
        services.asset_fail(
            asset_id=asset.pk,
            reason=ffmpeg._EMPTY,  # a stored reason, translated when written
        )

    asset.refresh_from_db()
    assert asset.failure_reason == "এই ফাইলটি খালি। আবার আপলোড করে দেখুন।"


def test_a_refusal_with_figures_is_written_in_the_active_language(tmp_path):
    long_file = tmp_path / "call.mp4"
    long_file.write_bytes(b"x" * 2048)

    with translation.override("es"), pytest.raises(ffmpeg.MediaRejected) as refusal:
        ffmpeg.validate(long_file, max_bytes=1024, max_duration=60)

    assert str(refusal.value) == (
        "Este archivo ocupa 2 KB, más de los 1 KB permitidos. Recorta la grabación "
        "o expórtala con menor calidad."
    )


@pytest.mark.parametrize(
    ("language", "seconds", "words"),
    [
        ("es", 61, "1 minuto 1 segundo"),
        ("es", 125, "2 minutos 5 segundos"),
        ("bn", 3720, "1 ঘণ্টা 2 মিনিট"),
        ("en", 1, "1 second"),
    ],
)
def test_durations_count_in_the_active_language(language, seconds, words):
    with translation.override(language):
        assert ffmpeg._human_duration(seconds) == words


def test_the_upload_endpoint_refuses_in_the_visitors_language(client):
    response = client.post(
        "/uploads/",
        HTTP_UPLOAD_LENGTH="10",
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_ACCEPT_LANGUAGE="es",
    )

    assert response.status_code == 401
    assert response.content.decode() == "Inicia sesión para subir archivos."


def test_the_status_of_a_recording_reads_in_the_viewers_language(client, org):
    _speaks(org.rep_east, "es")
    asset = MediaAsset.objects.create(
        owner=org.rep_east,
        title="Llamada",
        upload_length=10,
        status=MediaAsset.Status.FAILED,
        failure_reason=ffmpeg._EMPTY,
    )
    client.force_login(org.rep_east)

    page = client.get(asset.get_absolute_url()).text

    assert "Esta grabación no se pudo usar." in page
    assert "Este archivo está vacío. Intenta subirlo de nuevo." in page
