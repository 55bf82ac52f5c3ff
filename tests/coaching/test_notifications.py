from __future__ import annotations

import pytest

from coaching import notices, services
from lms.notifications.models import NotificationLog
from tests.factories import levels_for


def _to(mailoutbox) -> list[tuple[str, str]]:
    return [(message.to[0], message.subject) for message in mailoutbox]


def test_it_emails_the_team_coaches_after_a_request_once(
    org, submissions, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    from tests.factories import make_coach

    time_machine.move_to("2026-03-02 09:00Z", tick=False)
    org.east_coach.time_zone = "Europe/Berlin"
    org.east_coach.save()
    region_coach = make_coach(org.americas, full_name="Regina Region")
    with django_capture_on_commit_callbacks(execute=True):
        submission = submissions.requested()
    take = submission.takes.get()
    assert sorted(_to(mailoutbox)) == sorted(
        (coach.email, "Rae East asks for coaching: “Acme discovery call”")
        for coach in (org.east_coach, region_coach)
    )
    to_cora = next(m for m in mailoutbox if m.to == [org.east_coach.email])
    assert f"http://testserver/coaching/takes/{take.pk}/" in to_cora.body or (
        f"/coaching/takes/{take.pk}/" in to_cora.body
    )
    assert "Wednesday 4 March, 10:00 (Europe/Berlin)" in to_cora.body
    assert "How I handled the budget question." in to_cora.body
    html, _ = to_cora.alternatives[0]
    assert "Deal stage: Discovery." in html

    mailoutbox.clear()
    assert notices.take_notify_coaches(take_id=take.pk) == 0
    assert mailoutbox == []


def test_it_emails_only_the_named_coach(
    org, submissions, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.factories import make_coach

    region_coach = make_coach(org.americas, full_name="Regina Region")
    with django_capture_on_commit_callbacks(execute=True):
        submissions.requested(coach=region_coach)
    assert [message.to for message in mailoutbox] == [[region_coach.email]]


def test_it_keeps_a_title_with_line_breaks_on_one_line_in_the_subject(
    org, submissions, mailoutbox, django_capture_on_commit_callbacks
):
    # A line break in a subject makes Django refuse to send the e-mail at all.
    with django_capture_on_commit_callbacks(execute=True):
        submission = submissions.requested(title="Acme\r\nBcc: x@example.com\n")
    assert submission.title == "Acme Bcc: x@example.com discovery call"
    assert _to(mailoutbox) == [
        (
            org.east_coach.email,
            "Rae East asks for coaching: “Acme Bcc: x@example.com discovery call”",
        )
    ]


def test_it_emails_nobody_when_the_request_rolls_back(
    org, submissions, mailoutbox, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            submissions.requested()
            raise RuntimeError("the page failed after the request")
    assert callbacks == [] and mailoutbox == []


def test_it_emails_the_coaches_when_a_practice_take_is_sent(
    org, practice, practice_take, mailoutbox, django_capture_on_commit_callbacks
):
    practice.self_review = False
    practice.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.take_send(take=practice_take, user=org.rep_east)
    assert _to(mailoutbox) == [
        (
            org.east_coach.email,
            "Rae East asks for coaching: “Handle the pricing objection”",
        )
    ]


def test_it_emails_the_rep_when_the_review_is_submitted(
    org, submissions, rubric, mailoutbox, django_capture_on_commit_callbacks
):
    review = submissions.in_review()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.review_submit(
            review=review,
            coach=org.east_coach,
            levels=levels_for(rubric, 2, 2, 3, 2),
            summary="Slow down <before> the price.",
            outcome="resubmit",
        )
    (message,) = mailoutbox
    assert message.to == [org.rep_east.email]
    assert message.subject == (
        "Cora Coach asks for another take of “Globex discovery call”"
    )
    assert "2.30 of 5, below the pass mark" in message.body
    assert "Slow down <before> the price." in message.body
    html, _ = message.alternatives[0]
    assert "Slow down &lt;before&gt; the price." in html
    assert notices.review_notify_rep(review_id=review.pk) is False
    assert len(mailoutbox) == 1


def test_it_tells_the_rep_about_an_approval(
    org, submissions, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review = submissions.reviewed()
    message = mailoutbox[-1]
    assert message.to == [org.rep_east.email]
    assert message.subject == "Cora Coach approved “Globex discovery call”"
    assert f"{review.score} of 5, a pass" in message.body


def test_it_records_each_notice_once_in_the_log(
    org, submissions, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review = submissions.reviewed()
    take = review.take
    assert set(
        NotificationLog.objects.values_list("user__full_name", "kind", "key")
    ) == {
        ("Cora Coach", "coaching_request", f"take:{take.pk}"),
        ("Rae East", "coaching_reviewed", f"review:{review.pk}"),
    }
