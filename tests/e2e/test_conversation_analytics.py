"""Conversation analytics in a browser: Sofia, Maya's coach, opens Maya's
two-channel call, sees both speaker lanes, Maya's talk ratio against the rubric's
target and the team median, clicks the longest monologue and the player lands on it,
then quotes the monologue in a comment.
Celery runs eagerly, so the call is analysed when the request is committed."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, expect

from coaching import services
from coaching.models import CallAnalysis
from lms.accounts.demo import DEMO_PASSWORD
from lms.accounts.models import User
from tests.factories import make_rubric


def test_a_coach_sees_the_lanes_and_targets_and_plays_the_longest_monologue(
    new_context: Callable[..., BrowserContext],
    demo_people: None,
    make_ready_dialogue,
) -> None:
    rubric = make_rubric()
    rubric.talk_ratio_min, rubric.talk_ratio_max = 30, 45
    rubric.save()
    maya = User.objects.get(email="maya@northwind.example")
    submission = services.call_review_request(
        rep=maya,
        asset=make_ready_dialogue(maya),
        title="Discovery call with Harbor Goods",
        rubric=rubric,
    )
    analysis = CallAnalysis.objects.get(take__submission=submission)
    assert analysis.state == CallAnalysis.State.DONE
    start = analysis.longest_monologue_start

    page: Page = new_context().new_page()
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill("sofia@northwind.example")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    page.goto(f"/coaching/takes/{submission.takes.get().pk}/")

    lanes = page.locator(".lane")
    expect(lanes).to_have_count(2)
    expect(page.get_by_role("img", name="Rep:")).to_be_visible()
    expect(page.get_by_role("img", name="Other speaker:")).to_be_visible()
    ratio_row = page.get_by_role("row", name="Rep talk ratio")
    percent = f"{round(analysis.rep_talk_ratio * 100)}%"
    expect(ratio_row).to_contain_text(percent)
    # The target in words, not colour alone: the dialogue's rep talks about 40%.
    expect(ratio_row).to_contain_text("✓ On target (30–45%)")
    expect(page.get_by_text("Team median: Americas East")).to_contain_text(
        "based on 1 call"
    )

    page.wait_for_function(
        "() => { const a = document.querySelector('audio.player');"
        " return a && a.readyState >= 1 && !a.seeking; }"
    )
    page.locator("[data-longest-monologue]").click()
    page.wait_for_function(
        f"() => Math.abs(document.querySelector('audio.player').currentTime"
        f" - {start}) < 0.3"
    )
    expect(page.locator("[data-comment-status]")).to_contain_text("Jumped to")

    # A metric quoted into a comment: the longest monologue's range comes with it.
    page.get_by_role("row", name="Longest rep monologue").get_by_role(
        "button", name="Quote"
    ).click()
    expect(page.get_by_label("Comment", exact=True)).to_have_value(
        f"Longest monologue: {analysis.longest_monologue_seconds:.1f} s"
    )
    expect(page.get_by_label("Start (seconds)")).to_have_value(f"{start:.2f}")
