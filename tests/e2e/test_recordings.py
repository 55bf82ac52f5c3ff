"""Uploading a recording through the browser, watching it upload, and playing it.

The page's tus client sends 5 MB chunks; Chrome's network emulation slows the upload
so that the progress in between can be seen. Celery runs eagerly in the tests, so the
live server transcodes the file (with ffmpeg) when its last chunk arrives.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest
from django.core.files.storage import storages
from playwright.sync_api import Dialog, Page, Response, expect

from lms.accounts.models import User
from media.models import MediaAsset

MB = 1024 * 1024
SECONDS = 15.0  # testsrc2 at 1280x720 makes about 12 MB of this: three chunks
PROGRESS_BAR = 'progress[aria-label="Upload progress"]'
DETAIL = re.compile(r"/recordings/(?P<id>[0-9a-f-]{36})/$")
# Set E2E_SHOTS_DIR to a folder (outside the repository) to keep screenshots.
SHOTS_DIR = os.environ.get("E2E_SHOTS_DIR", "")


@pytest.fixture
def long_video(make_media) -> Path:  # type: ignore[no-untyped-def]
    video = make_media("mp4", size=(1280, 720), seconds=SECONDS)
    assert video.stat().st_size > 10 * MB, "too small for three 5 MB chunks"
    return video


def _throttle_uploads(page: Page, bytes_per_second: int) -> None:
    """Send at most this many bytes a second, as over a slow uplink."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 0,
            "downloadThroughput": -1,
            "uploadThroughput": bytes_per_second,
        },
    )


def _record_progress(page: Page) -> list[float]:
    """Every value the upload progress bar shows, in order, from now on."""
    seen: list[float] = []

    def report(value: float) -> None:
        seen.append(value)

    page.expose_function("reportUploadProgress", report)
    page.evaluate(
        """selector => {
            const bar = document.querySelector(selector);
            new MutationObserver(() => window.reportUploadProgress(bar.value))
                .observe(bar, {attributes: true, attributeFilter: ["value"]});
        }""",
        PROGRESS_BAR,
    )
    return seen


def _progress_value(page: Page) -> float:
    return page.get_by_role("progressbar", name="Upload progress").evaluate(
        "bar => bar.value"
    )


def _choose_file(page: Page, file: Path, title: str) -> None:
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("File", exact=True).set_input_files(file)


def _shoot(page: Page, name: str) -> None:
    if SHOTS_DIR:
        Path(SHOTS_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(SHOTS_DIR) / f"{name}.png", full_page=True)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_it_uploads_a_recording_with_visible_progress_and_plays_it(
    page: Page, sign_in, long_video: Path
):
    media_responses: list[Response] = []
    page.on(
        "response",
        lambda response: (
            media_responses.append(response) if "/media/" in response.url else None
        ),
    )
    sign_in("maya@northwind.example")
    page.goto("/recordings/")
    assert page.evaluate(
        """() => document.createElement("video")
            .canPlayType('video/mp4; codecs="avc1.42E01E"')"""
    ), "this Chromium cannot play H.264, the format recordings are transcoded to"
    seen = _record_progress(page)
    _throttle_uploads(page, bytes_per_second=4 * MB)

    upload = page.get_by_role("region", name="Upload a recording")
    pause = upload.get_by_role("button", name="Pause", exact=True)
    resume = upload.get_by_role("button", name="Resume", exact=True)
    expect(pause).to_be_hidden()
    expect(resume).to_be_hidden()
    _choose_file(page, long_video, "Discovery call with Acme")
    page.get_by_role("button", name="Upload", exact=True).click()

    expect(upload.get_by_role("progressbar", name="Upload progress")).to_be_visible()
    expect(upload.get_by_role("status")).to_contain_text(re.compile(r"\d+% · "))
    expect(pause).to_be_visible()
    expect(resume).to_be_hidden()
    _shoot(page, "recording-list-uploading")
    page.wait_for_url(DETAIL, timeout=60_000)
    between = {value for value in seen if 0 < value < 100}
    assert len(between) >= 3, f"progress seen: {seen}"
    assert seen == sorted(seen), f"the progress went back: {seen}"
    assert seen[-1] == 100

    expect(page.get_by_role("heading", name="Discovery call with Acme")).to_be_visible()
    video = page.locator("video.player")
    expect(video).to_be_visible()
    page.wait_for_function(
        "() => document.querySelector('video.player').readyState >= 1"
    )
    duration = video.evaluate("video => video.duration")
    assert duration == pytest.approx(SECONDS, abs=0.5)

    waveform = page.locator("canvas.waveform")
    expect(waveform).to_be_visible()
    box = waveform.bounding_box()
    assert box is not None
    waveform.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    page.wait_for_function(
        """() => {
            const video = document.querySelector('video.player');
            return !video.seeking && video.readyState >= 2;
        }"""
    )
    assert video.evaluate("video => video.currentTime") == pytest.approx(
        duration / 2, abs=0.5
    )
    video.evaluate("video => { video.muted = true; return video.play(); }")
    page.wait_for_function(
        "middle => document.querySelector('video.player').currentTime > middle + 0.3",
        arg=duration / 2,
    )
    video.evaluate("video => video.pause()")
    _shoot(page, "recording-detail")

    public_id = DETAIL.search(page.url)["id"]  # type: ignore[index]
    play = f"/media/{public_id}/play"
    assert any(
        response.url.endswith(play) and response.status == 206
        for response in media_responses
    ), [(response.url, response.status) for response in media_responses]

    page.get_by_role("link", name="All my recordings").click()
    row = page.get_by_role("row", name=re.compile("Discovery call with Acme"))
    expect(row).to_contain_text("Ready")
    expect(row).to_contain_text(f"{SECONDS:.0f} s")
    _shoot(page, "recording-list")


def test_it_pauses_and_resumes_an_upload(page: Page, sign_in, long_video: Path):
    sign_in("maya@northwind.example")
    page.goto("/recordings/")
    _throttle_uploads(page, bytes_per_second=2 * MB)
    _choose_file(page, long_video, "Pricing objection")
    page.get_by_role("button", name="Upload", exact=True).click()
    # Past the first chunk, so that the pause cuts the second one short.
    page.wait_for_function(
        "selector => document.querySelector(selector).value > 45", arg=PROGRESS_BAR
    )

    page.get_by_role("button", name="Pause", exact=True).click()

    resume = page.get_by_role("button", name="Resume", exact=True)
    expect(resume).to_be_visible()
    expect(resume).to_be_focused()
    expect(page.get_by_role("button", name="Pause", exact=True)).to_be_hidden()
    status = page.get_by_role("region", name="Upload a recording").get_by_role("status")
    expect(status).to_contain_text(re.compile(r"Paused at \d+%"))
    paused_at = _progress_value(page)
    page.wait_for_timeout(1000)
    assert _progress_value(page) == paused_at
    asset = MediaAsset.objects.get()
    assert asset.status == MediaAsset.Status.UPLOADING
    assert 0 < asset.upload_offset < asset.upload_length
    _shoot(page, "recording-list-paused")

    resume.click()

    expect(page.get_by_role("button", name="Pause", exact=True)).to_be_focused()
    expect(resume).to_be_hidden()
    page.wait_for_url(DETAIL, timeout=60_000)
    expect(page.locator("video.player")).to_be_visible()
    asset.refresh_from_db()
    assert asset.upload_length == long_video.stat().st_size
    assert asset.upload_offset == asset.upload_length
    assert asset.status == MediaAsset.Status.READY
    with storages["private"].open(asset.original, "rb") as original:
        assert _sha256(original.read()) == _sha256(long_video.read_bytes())


def test_it_shows_a_clear_message_for_a_file_over_the_limit(
    page: Page, sign_in, settings, long_video: Path
):
    settings.MEDIA_MAX_UPLOAD_BYTES = MB
    uploads: list[str] = []
    page.on(
        "request",
        lambda request: (
            uploads.append(request.url) if "/uploads/" in request.url else None
        ),
    )
    sign_in("maya@northwind.example")
    page.goto("/recordings/")
    expect(page.get_by_text(re.compile(r"up to 1 MB"))).to_be_visible()

    _choose_file(page, long_video, "Quarterly business review, uncut")
    page.get_by_role("button", name="Upload", exact=True).click()

    expect(page.get_by_role("alert")).to_have_text(
        re.compile(r"^This file is \d+(\.\d)? MB; the limit is 1 MB\.$")
    )
    expect(page.get_by_role("button", name="Upload", exact=True)).to_be_enabled()
    expect(page.get_by_role("progressbar", name="Upload progress")).to_be_hidden()
    assert uploads == []
    assert not MediaAsset.objects.exists()


def test_it_asks_before_deleting_a_recording(page: Page, sign_in, make_ready_recording):
    sign_in("maya@northwind.example")
    asset = make_ready_recording(User.objects.get(email="maya@northwind.example"))
    page.goto(f"/recordings/{asset.public_id}/")
    # The waveform is drawn from the peaks the page carries as JSON.
    expect(page.locator("canvas[data-waveform]")).to_be_visible()
    asked = []

    def answer(dialog: Dialog, accept: bool) -> None:
        asked.append(dialog.message)
        if accept:
            dialog.accept()
        else:
            dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.get_by_role("button", name="Delete recording").click()
    assert asked == ["Delete this recording and all its files?"]
    expect(page.get_by_role("heading", name="Pricing objection")).to_be_visible()

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.get_by_role("button", name="Delete recording").click()
    page.wait_for_url(re.compile(r"/recordings/$"))
    assert not MediaAsset.objects.filter(pk=asset.pk).exists()
