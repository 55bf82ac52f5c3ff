"""The coaching pages and endpoints, for every kind of viewer."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from coaching.models import Comment, Review, Submission
from courses.models import LessonCompletion
from tests.factories import levels_for

# Who sees Rae East's request (routed to Cora Coach, the coach of East).
SEES = ["rep_east", "east_coach", "east_manager", "region_manager", "admin"]
DOES_NOT_SEE = ["rep_east2", "rep_west", "multi_coach", "emea_manager", "loner"]


@pytest.fixture
def requested(submissions):
    return submissions.requested()


@pytest.fixture
def take(requested):
    return requested.takes.get()


def _review_url(take) -> str:
    return reverse("coaching_review", args=[take.pk])


def test_it_sends_anonymous_visitors_to_sign_in(client, take):
    for url in [
        _review_url(take),
        reverse("coaching_mine"),
        reverse("coaching_queue"),
        reverse("coaching_request_new"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("who", SEES)
def test_it_shows_the_review_screen_to_those_who_may_see_it(client, org, take, who):
    client.force_login(org[who])
    response = client.get(_review_url(take))
    assert response.status_code == 200
    assert "Acme discovery call" in response.text
    assert take.asset.playback_url in response.text


@pytest.mark.parametrize("who", DOES_NOT_SEE)
def test_it_answers_404_to_everyone_else(client, org, take, who):
    client.force_login(org[who])
    assert client.get(_review_url(take)).status_code == 404
    response = client.post(
        reverse("coaching_comment_add", args=[take.pk]),
        {"text": "Sneaky", "start_seconds": "1", "kind": "praise"},
    )
    assert response.status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.parametrize("who", SEES)
def test_it_offers_the_scoring_form_only_to_the_routed_coach(client, org, take, who):
    client.force_login(org[who])
    response = client.get(_review_url(take))
    has_form = reverse("coaching_review_submit", args=[take.pk]) in response.text
    assert has_form == (who == "east_coach")
    assert ("data-comment-now" in response.text) == (who == "east_coach")


def test_it_saves_a_coach_comment_as_json_and_keeps_it_private(client, org, take):
    client.force_login(org.east_coach)
    response = client.post(
        reverse("coaching_comment_add", args=[take.pk]),
        {"text": "Nice <b>opener</b>", "start_seconds": "1.5", "kind": "praise"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 201
    data = response.json()
    assert data["start"] == 1.5 and data["kind"] == "praise" and data["parent"] is None
    assert "Nice &lt;b&gt;opener&lt;/b&gt;" in data["html"]
    assert 'data-start="1.50"' in data["html"]
    take.submission.refresh_from_db()
    assert take.submission.state == Submission.State.IN_REVIEW
    client.force_login(org.rep_east)
    assert "opener" not in client.get(_review_url(take)).text


def test_it_refuses_a_comment_outside_the_recording(client, org, take):
    client.force_login(org.east_coach)
    response = client.post(
        reverse("coaching_comment_add", args=[take.pk]),
        {"text": "Too late", "start_seconds": "999", "kind": "improve"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert "outside the recording" in response.json()["error"]
    assert not Comment.objects.exists()


def test_it_refuses_a_comment_without_a_time(client, org, take):
    client.force_login(org.east_coach)
    response = client.post(
        reverse("coaching_comment_add", args=[take.pk]),
        {"text": "When?", "kind": "improve"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert "needs a time" in response.json()["error"]


@pytest.mark.parametrize("who", ["rep_east", "east_manager", "admin"])
def test_it_forbids_timeline_comments_from_those_who_only_see(client, org, take, who):
    client.force_login(org[who])
    response = client.post(
        reverse("coaching_comment_add", args=[take.pk]),
        {"text": "Me too", "start_seconds": "1", "kind": "praise"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_it_posts_a_comment_without_javascript_and_comes_back(client, org, take):
    client.force_login(org.east_coach)
    response = client.post(
        reverse("coaching_comment_add", args=[take.pk]),
        {"text": "Ask about budget", "start_seconds": "2", "kind": "question"},
    )
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _review_url(take) + f"#comment-{comment.pk}"
    assert "Ask about budget" in client.get(_review_url(take)).text


def _submit(client, take, rubric, *levels, outcome="approved", summary="Well done."):
    data = {
        f"criterion_{pk}": level for pk, level in levels_for(rubric, *levels).items()
    }
    return client.post(
        reverse("coaching_review_submit", args=[take.pk]),
        {**data, "summary": summary, "outcome": outcome},
    )


def test_it_submits_a_review_with_the_score_computed_on_the_server(
    client, org, take, rubric
):
    client.force_login(org.east_coach)
    client.post(
        reverse("coaching_comment_add", args=[take.pk]),
        {"text": "Good opener", "start_seconds": "1", "kind": "praise"},
    )
    response = client.post(
        reverse("coaching_review_submit", args=[take.pk]),
        {
            **{
                f"criterion_{pk}": level
                for pk, level in levels_for(rubric, 4, 3, 5, 4).items()
            },
            "summary": "Strong call.",
            "outcome": "approved",
            "score": "5.00",
        },
    )
    assert response.status_code == 302
    review = Review.objects.get(is_self_review=False)
    # 0.2*4 + 0.3*3 + 0.3*5 + 0.2*4 = 4.00, whatever the form said.
    assert str(review.score) == "4.00"
    assert review.state == Review.State.SUBMITTED
    client.force_login(org.rep_east)
    page = client.get(_review_url(take)).text
    assert "Good opener" in page and "Strong call." in page and "4.00" in page
    assert reverse("coaching_review_vtt", args=[review.pk]) in page


def test_it_keeps_the_form_and_says_what_is_missing(client, org, take, rubric):
    client.force_login(org.east_coach)
    response = client.post(
        reverse("coaching_review_submit", args=[take.pk]),
        {"summary": "Half done", "outcome": "approved"},
    )
    assert response.status_code == 400
    assert "Score “Agenda setting” from 1 to 5." in response.text
    assert not Review.objects.filter(state=Review.State.SUBMITTED).exists()


@pytest.mark.parametrize("who", ["rep_east", "east_manager", "admin"])
def test_it_forbids_submitting_a_review_to_others(client, org, take, rubric, who):
    client.force_login(org[who])
    assert _submit(client, take, rubric, 4, 4, 4, 4).status_code == 403
    assert not Review.objects.exists()


def test_it_refuses_a_second_submit(client, org, take, rubric):
    client.force_login(org.east_coach)
    assert _submit(client, take, rubric, 4, 4, 4, 4).status_code == 302
    assert _submit(client, take, rubric, 1, 1, 1, 1).status_code == 403
    assert str(Review.objects.get().score) == "4.00"


def test_it_lets_the_rep_reply_to_a_submitted_comment(client, org, submissions, rubric):
    review = submissions.reviewed()
    comment = review.comments.get()
    client.force_login(org.rep_east)
    response = client.post(
        reverse("coaching_comment_add", args=[review.take_id]),
        {"text": "Thanks, will do", "parent": comment.pk},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 201
    assert response.json()["parent"] == comment.pk
    reply = Comment.objects.get(parent=comment)
    assert reply.author == org.rep_east
    client.force_login(org.east_coach)
    assert "Thanks, will do" in client.get(_review_url(review.take)).text


def test_it_does_not_let_a_manager_reply(client, org, submissions):
    review = submissions.reviewed()
    client.force_login(org.east_manager)
    response = client.post(
        reverse("coaching_comment_add", args=[review.take_id]),
        {"text": "Hi", "parent": review.comments.get().pk},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 403


def test_it_deletes_a_draft_comment_but_not_a_submitted_one(client, org, submissions):
    draft = submissions.in_review()
    comment = draft.comments.get()
    client.force_login(org.east_coach)
    url = reverse("coaching_comment_delete", args=[comment.pk])
    assert client.post(url, HTTP_ACCEPT="application/json").json() == {
        "deleted": comment.pk
    }
    assert not Comment.objects.filter(pk=comment.pk).exists()
    submitted = submissions.reviewed(rep=org.rep_east2).comments.get()
    response = client.post(
        reverse("coaching_comment_delete", args=[submitted.pk]),
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert "final" in response.json()["error"]


def test_it_hides_a_draft_comment_from_others_even_to_delete(client, org, submissions):
    comment = submissions.in_review().comments.get()
    for who in ["rep_east", "admin", "east_manager"]:
        client.force_login(org[who])
        url = reverse("coaching_comment_delete", args=[comment.pk])
        assert client.post(url).status_code == 404
    assert Comment.objects.filter(pk=comment.pk).exists()


# The queue.


def test_it_lists_the_coach_queue_oldest_due_first_with_overdue_marked(
    client, org, submissions, time_machine
):
    time_machine.move_to("2026-03-01 09:00Z", tick=False)
    older = submissions.requested(title="Older")
    time_machine.move_to("2026-03-02 09:00Z", tick=False)
    newer = submissions.requested(rep=org.rep_east2, title="Newer")
    submissions.requested(rep=org.rep_west, title="Western")
    time_machine.move_to("2026-03-03 12:00Z", tick=False)
    client.force_login(org.east_coach)
    page = client.get(reverse("coaching_queue")).text
    assert page.index(older.title) < page.index(newer.title)
    assert "Western" not in page
    assert page.count("Overdue") == 1  # the older one, due 3 March 09:00


def test_it_shows_in_progress_and_done_tabs(client, org, submissions):
    submissions.in_review(rep=org.rep_east)
    submissions.reviewed(rep=org.rep_east2)
    client.force_login(org.east_coach)
    in_progress = client.get(reverse("coaching_queue") + "?tab=in_progress").text
    assert "Globex discovery call" in in_progress and "Rae East" in in_progress
    assert "Reid East" not in in_progress
    done = client.get(reverse("coaching_queue") + "?tab=done").text
    assert "Reid East" in done and "Approved" in done


def test_it_shows_an_empty_queue_to_a_coach_of_another_team(client, org, requested):
    client.force_login(org.multi_coach)
    page = client.get(reverse("coaching_queue")).text
    assert "Acme discovery call" not in page
    assert "Nothing is waiting for your review" in page


def test_it_shows_the_queue_nav_item_to_coaches_only(client, org):
    client.force_login(org.east_coach)
    assert reverse("coaching_queue") in client.get(reverse("coaching_mine")).text
    client.force_login(org.rep_east)
    page = client.get(reverse("coaching_mine")).text
    assert reverse("coaching_queue") not in page


# The rep's pages.


def test_it_requests_a_review_of_an_uploaded_call(client, org, rubric, recording):
    asset = recording(org.rep_east, title="Call with Initech")
    client.force_login(org.rep_east)
    form = client.get(reverse("coaching_request_new") + f"?asset={asset.public_id}")
    assert "selected>Call with Initech" in form.text.replace('" selected', " selected")
    response = client.post(
        reverse("coaching_request_new"),
        {
            "asset": asset.pk,
            "title": "Initech discovery",
            "deal_stage": "discovery",
            "feedback_wanted": "Pricing",
            "rubric": rubric.pk,
            "coach": org.east_coach.pk,
        },
    )
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert (submission.title, submission.requested_coach) == (
        "Initech discovery",
        org.east_coach,
    )


def test_it_refuses_someone_elses_recording_or_a_coach_from_elsewhere(
    client, org, rubric, recording
):
    theirs = recording(org.rep_east2)
    mine = recording(org.rep_east)
    client.force_login(org.rep_east)
    response = client.post(
        reverse("coaching_request_new"),
        {"asset": theirs.pk, "title": "Not mine", "rubric": rubric.pk},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    response = client.post(
        reverse("coaching_request_new"),
        {"asset": mine.pk, "title": "Mine", "rubric": rubric.pk,
         "coach": org.multi_coach.pk},
    )  # fmt: skip
    assert "Select a valid choice" in response.text
    assert not Submission.objects.exists()


def test_it_offers_only_active_coaches_to_name(client, org, rubric, recording):
    from tests.factories import make_coach

    gone = make_coach(org.americas, full_name="Gus Gone")
    gone.is_active = False
    gone.save()
    client.force_login(org.rep_east)
    response = client.get(reverse("coaching_request_new"))
    assert org.east_coach.full_name in response.text
    assert "Gus Gone" not in response.text


def test_it_says_why_the_service_refused(client, org, rubric, recording):
    asset = recording(org.rep_east)
    asset.status = asset.Status.PROCESSING
    asset.save()
    client.force_login(org.rep_east)
    response = client.post(
        reverse("coaching_request_new"),
        {"asset": asset.pk, "title": "Too soon", "rubric": rubric.pk},
    )
    assert response.status_code == 200
    assert "still being processed" in response.text
    assert not Submission.objects.exists()


def test_it_lists_my_submissions_with_the_latest_score_and_a_trend(
    client, org, submissions
):
    submissions.reviewed(levels=(2, 3, 3, 2))
    submissions.reviewed(levels=(4, 4, 5, 4))
    client.force_login(org.rep_east)
    page = client.get(reverse("coaching_mine")).text
    assert "2.60" in page and "4.30" in page
    assert "<svg" in page and "Scores over time: Discovery call" in page
    svg = page.split("<svg", 1)[1].split("</svg>")[0]
    assert "https://" not in svg.replace("http://www.w3.org", "")
    assert "<script" not in svg


def test_it_shows_nobody_elses_submissions_on_my_coaching(client, org, submissions):
    submissions.requested(rep=org.rep_east2, title="Reids")
    client.force_login(org.rep_east)
    assert "Reids" not in client.get(reverse("coaching_mine")).text


# The practice page.


def test_it_shows_the_practice_prompt_limits_and_recorder(client, org, practice):
    client.force_login(org.rep_east)
    page = client.get(practice.url).text
    assert "Handle the pricing objection in under two minutes." in page
    assert 'data-max-seconds="120"' in page
    assert "0 of 3 used, 3 left" in page


def test_it_walks_a_practice_take_through_self_review_and_sending(
    client, org, practice, recording, rubric
):
    asset = recording(org.rep_east, title="Pitch one")
    client.force_login(org.rep_east)
    page = client.get(practice.url + f"?uploaded={asset.public_id}").text
    assert "Add as take 1" in page
    client.post(
        reverse("coaching_practice_take_add", args=[practice.pk]), {"asset": asset.pk}
    )
    take = Submission.objects.get().takes.get()
    page = client.get(practice.url).text
    assert "Score your take 1" in page
    response = client.post(reverse("coaching_take_send", args=[take.pk]), {})
    assert response.status_code == 302
    take.refresh_from_db()
    assert take.sent_at is None  # self-review first
    client.post(
        reverse("coaching_self_review", args=[take.pk]),
        {f"criterion_{pk}": 3 for pk in levels_for(rubric, 3, 3, 3, 3)},
    )
    client.post(reverse("coaching_take_send", args=[take.pk]), {})
    take.refresh_from_db()
    assert take.sent_at is not None
    assert "is with your coach" in client.get(practice.url).text
    client.force_login(org.east_coach)
    review_page = client.get(_review_url(take)).text
    assert "Self-review: <strong>3</strong>" in review_page
    _submit(client, take, rubric, 4, 4, 4, 4)
    assert LessonCompletion.objects.filter(
        user=org.rep_east, lesson=practice, how=LessonCompletion.How.PRACTICE_APPROVED
    ).exists()
    client.force_login(org.rep_east)
    assert "A coach approved your practice" in client.get(practice.url).text


def test_it_does_not_let_others_act_on_my_takes(client, org, practice_take):
    client.force_login(org.rep_east2)
    assert (
        client.post(reverse("coaching_take_send", args=[practice_take.pk])).status_code
        == 404
    )
    client.force_login(org.east_coach)
    assert client.get(_review_url(practice_take)).status_code == 404  # not sent


def test_it_renders_the_comment_json_the_page_script_reads(client, org, take):
    client.force_login(org.east_coach)
    response = client.post(
        reverse("coaching_comment_add", args=[take.pk]),
        {"text": "Range", "start_seconds": "1", "end_seconds": "2.25",
         "kind": "improve"},
        HTTP_ACCEPT="application/json",
    )  # fmt: skip
    data = json.loads(response.content)
    assert (data["start"], data["end"]) == (1.0, 2.25)
    assert 'data-end="2.25"' in data["html"] and "0:01–0:02" in data["html"]


def test_it_offers_delete_only_on_comments_that_may_still_change(
    client, org, submissions
):
    review = submissions.reviewed()
    comment = review.comments.get()
    delete_url = reverse("coaching_comment_delete", args=[comment.pk])
    client.force_login(org.east_coach)
    assert delete_url not in client.get(_review_url(review.take)).text  # submitted
    client.force_login(org.rep_east)
    assert delete_url not in client.get(_review_url(review.take)).text  # not theirs
    client.post(
        reverse("coaching_comment_add", args=[review.take_id]),
        {"text": "My reply", "parent": comment.pk},
    )
    reply = Comment.objects.get(parent=comment)
    page = client.get(_review_url(review.take)).text
    assert reverse("coaching_comment_delete", args=[reply.pk]) in page
    client.post(reverse("coaching_comment_delete", args=[reply.pk]))
    assert not Comment.objects.filter(pk=reply.pk).exists()


def test_it_waits_on_the_practice_page_for_an_upload_to_be_processed(
    client, org, practice, recording
):
    asset = recording(org.rep_east, title="Fresh take")
    asset.status = asset.Status.PROCESSING
    asset.save()
    client.force_login(org.rep_east)
    page = client.get(practice.url + f"?uploaded={asset.public_id}").text
    assert "“Fresh take” is being processed" in page
    assert f'data-status-url="{asset.status_url}"' in page
    response = client.post(
        reverse("coaching_practice_take_add", args=[practice.pk]), {"asset": asset.pk}
    )
    assert response.status_code == 302
    assert not Submission.objects.exists()
    assert "still being processed" in client.get(practice.url).text


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_it_reads_the_queue_and_my_coaching_in_as_many_queries_for_more_rows(
    client, org, submissions
):
    submissions.reviewed(rep=org.rep_east)
    submissions.in_review(rep=org.rep_east2)
    client.force_login(org.east_coach)
    queue_url = reverse("coaching_queue") + "?tab=in_progress"
    done_url = reverse("coaching_queue") + "?tab=done"
    _queries(
        client, queue_url
    )  # fills the person's cached roles and state: both measured visits find them
    before = (_queries(client, queue_url), _queries(client, done_url))
    submissions.reviewed(rep=org.rep_east)
    submissions.reviewed(rep=org.rep_east)
    submissions.in_review(rep=org.rep_east)
    assert (_queries(client, queue_url), _queries(client, done_url)) == before
    client.force_login(org.rep_east)
    _queries(client, reverse("coaching_mine"))  # warm, as above
    mine_before = _queries(client, reverse("coaching_mine"))
    submissions.reviewed(rep=org.rep_east)
    assert _queries(client, reverse("coaching_mine")) == mine_before


def test_it_reads_the_review_screen_in_as_many_queries_for_more_comments(
    client, org, submissions
):
    from coaching import services

    review = submissions.reviewed()
    take = review.take
    client.force_login(org.rep_east)
    _queries(
        client, _review_url(take)
    )  # fills the person's cached roles and state: both measured visits find them
    before = _queries(client, _review_url(take))
    root = review.comments.get()
    for text in ["One", "Two", "Three"]:
        services.comment_add(take=take, author=org.rep_east, text=text, parent=root)
    assert _queries(client, _review_url(take)) == before


def test_it_warns_the_coach_before_sending_the_last_allowed_take_back(
    client, org, practice, practice_take, rubric
):
    from coaching import services

    services.self_review_save(
        take=practice_take, user=org.rep_east, levels=levels_for(rubric, 3, 3, 3, 3)
    )
    services.take_send(take=practice_take, user=org.rep_east)
    client.force_login(org.east_coach)
    warning = "the last one allowed"

    assert warning not in client.get(_review_url(practice_take)).content.decode()
    practice.max_takes = 1
    practice.save_revision().publish()
    page = client.get(_review_url(practice_take)).content.decode()
    assert "This is take 1 of 1, the last one allowed" in page
