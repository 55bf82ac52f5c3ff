"""The coaching journey in a browser: Maya uploads a call and asks for a review;
Sofia, her coach, finds it in the queue, plays it, comments at 0:05 with the keyboard,
scores the rubric and submits; Maya sees the marker, clicks it, and the player jumps
to 0:05. Celery runs eagerly, so the upload is transcoded when its last chunk lands.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from coaching.models import Comment, Review, Submission
from lms.accounts.demo import DEMO_PASSWORD
from media.models import MediaAsset
from tests.factories import make_rubric

SECONDS = 9.0
REQUEST = re.compile(r"/coaching/request/\?asset=[0-9a-f-]{36}$")
REVIEW = re.compile(r"/coaching/takes/\d+/$")
SHOTS_DIR = os.environ.get("E2E_SHOTS_DIR", "")


def _shoot(page: Page, name: str) -> None:
    if SHOTS_DIR:
        Path(SHOTS_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(SHOTS_DIR) / f"{name}.png", full_page=True)


def _signed_in(new_context: Callable[..., BrowserContext], email: str) -> Page:
    page = new_context().new_page()
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    return page


def _current_time(page: Page) -> float:
    return float(page.locator("video.player").evaluate("video => video.currentTime"))


def _wait_until_seekable(page: Page) -> None:
    page.wait_for_function(
        """() => {
            const video = document.querySelector('video.player');
            return video && !video.seeking && video.readyState >= 1;
        }"""
    )


@pytest.fixture
def call_video(make_media) -> Path:  # type: ignore[no-untyped-def]
    return make_media("mp4", size=(640, 360), seconds=SECONDS)


def test_it_reviews_a_call_from_upload_to_the_marker_the_rep_clicks(
    page: Page,
    sign_in,
    new_context: Callable[..., BrowserContext],
    call_video: Path,
) -> None:
    rubric = make_rubric()

    # Maya uploads her call and asks for a review.
    sign_in("maya@northwind.example")
    page.goto("/coaching/my/")
    page.get_by_role("link", name="Request a review").click()
    page.get_by_label("Title", exact=True).fill("Discovery call with Harbor Goods")
    page.get_by_label("File", exact=True).set_input_files(call_video)
    page.get_by_role("button", name="Upload", exact=True).click()
    page.wait_for_url(REQUEST, timeout=60_000)
    expect(page.get_by_label("Recording")).to_have_value(
        str(MediaAsset.objects.get().pk)
    )
    expect(page.get_by_label("Call title")).to_have_value(
        "Discovery call with Harbor Goods"
    )
    page.get_by_label("Deal stage").select_option(label="Discovery")
    page.get_by_label("What do you want feedback on?").fill(
        "How I asked about their budget."
    )
    _shoot(page, "coaching-request")
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_role("heading", name="My coaching")).to_be_visible()
    expect(page.get_by_text("was sent for review")).to_be_visible()
    submission = Submission.objects.get()
    assert submission.state == Submission.State.REQUESTED
    assert submission.rubric == rubric

    # Sofia finds it in her queue, plays it, and comments at 0:05 with the keyboard.
    coach = _signed_in(new_context, "sofia@northwind.example")
    coach.get_by_role("link", name="Coaching", exact=True).click()
    expect(coach.get_by_role("link", name="To review 1")).to_have_attribute(
        "aria-current", "page"
    )
    _shoot(coach, "coaching-queue")
    coach.get_by_role("link", name="Discovery call with Harbor Goods").click()
    coach.wait_for_url(REVIEW)
    _wait_until_seekable(coach)
    video = coach.locator("video.player")
    video.evaluate("video => { video.muted = true; return video.play(); }")
    coach.wait_for_function(
        "() => document.querySelector('video.player').currentTime > 0.5"
    )
    video.evaluate("video => { video.pause(); video.currentTime = 5; }")
    coach.wait_for_function(
        """() => {
            const video = document.querySelector('video.player');
            return !video.seeking && Math.abs(video.currentTime - 5) < 0.01;
        }"""
    )
    expect(coach.get_by_role("button", name="Comment at 0:05")).to_be_visible()
    # Focus off the player: the shortcut works wherever the focus is not in a field.
    coach.get_by_role("heading", name="Recording", exact=True).click()
    coach.keyboard.press("c")
    text = coach.get_by_label("Comment", exact=True)
    expect(text).to_be_focused()
    expect(coach.get_by_label("Start (seconds)")).to_have_value("5.00")
    coach.keyboard.type("Here: ask what the budget is compared with.")
    coach.get_by_label("Improve").check()
    text.focus()
    coach.keyboard.press("Control+Enter")
    status = coach.locator("[data-comment-status]")
    expect(status).to_have_text("Comment saved at 0:05.")
    comment_item = coach.locator("ol.comments > li")
    expect(comment_item).to_have_count(1)
    expect(comment_item).to_contain_text("0:05")
    expect(coach.locator(".comment-track .marker")).to_have_count(1)
    assert coach.url.endswith("/")  # saved without leaving the page
    comment = Comment.objects.get()
    assert (comment.start_seconds, comment.kind) == (5, "improve")

    for fieldset in coach.locator("fieldset.criterion").all():
        fieldset.locator("input[type=radio][value='4']").check()
    coach.get_by_label("Summary for the rep").fill("Good call. Dig into budget.")
    coach.get_by_label("Approved").check()
    _shoot(coach, "coaching-review-coach")
    coach.get_by_role("button", name="Submit review").click()
    expect(
        coach.get_by_text("Review sent to Maya Chen: 4.00 (Approved).")
    ).to_be_visible()
    review = Review.objects.get()
    assert (review.state, str(review.score)) == (Review.State.SUBMITTED, "4.00")

    # Maya sees the marker, clicks it, and the player jumps to 0:05.
    page.goto("/coaching/my/")
    sent = page.get_by_role("region", name="Calls and practice sent for review")
    row = sent.get_by_role("row", name=re.compile("Discovery call with Harbor Goods"))
    expect(row).to_contain_text("4.00")
    row.get_by_role("link", name="Discovery call with Harbor Goods").click()
    page.wait_for_url(REVIEW)
    _wait_until_seekable(page)
    assert _current_time(page) == 0
    marker = page.get_by_role(
        "button", name="Comment at 0:05: Here: ask what the budget is compared with."
    )
    expect(marker).to_be_visible()
    expect(page.get_by_text("Good call. Dig into budget.")).to_be_visible()
    marker.click()
    page.wait_for_function("() => !document.querySelector('video.player').seeking")
    assert _current_time(page) == pytest.approx(5, abs=0.05)
    _shoot(page, "coaching-review-rep")
