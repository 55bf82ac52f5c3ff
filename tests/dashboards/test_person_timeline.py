from __future__ import annotations

import pytest
from django.urls import reverse

from tests.dashboards import history


@pytest.mark.parametrize(
    ("viewer", "status"),
    [
        ("rep_east", 200),  # self
        ("rep_east2", 404),  # another rep
        ("east_manager", 200),
        ("region_manager", 200),
        ("emea_manager", 404),
        ("east_coach", 200),
        ("multi_coach", 404),
        ("admin", 200),
    ],
)
def test_it_shows_the_timeline_to_those_who_may_see_the_person(
    client, org, onboarding, viewer, status
):
    onboarding.assign(org.rep_east, started_days_ago=2)
    onboarding.complete(org.rep_east, onboarding.d1)
    history.quiz_attempt(org.rep_east, title="Discovery quiz", percent="90", days_ago=2)
    history.review(org.rep_east, org.east_coach, score="4.00", days_ago=1)
    history.certificate(org.rep_east, expires_in_days=100)
    client.force_login(org[viewer])
    response = client.get(reverse("person_detail", args=[org.rep_east.pk]))
    assert response.status_code == status
    if status == 200:
        kinds = [event.kind for event in response.context["timeline"]]
        assert kinds == ["learning", "review", "quiz", "certificate"]
        page = response.content.decode()
        assert "Why discovery" in page
        assert "Attempt 1: 90.00%, passed" in page
        assert "Reviewed by Cora Coach: 4.00 of 5, approved" in page
        assert "Certified Discovery Seller" in page
        # Each quiz, review and certificate links to where the viewer reads more,
        # and the viewer may open it.
        for event in response.context["timeline"][1:]:
            assert f'href="{event.url}"' in page
            # A certificate without its PDF yet offers to prepare it (200).
            assert client.get(event.url).status_code == 200


def test_it_keeps_self_reviews_and_drafts_out_of_the_timeline(client, org):
    history.review(org.rep_east, org.east_coach, score="2.00", self_review=True)
    draft = history.review(org.rep_east, org.east_coach, score="2.00")
    draft.state = draft.State.DRAFT
    draft.save()
    client.force_login(org.east_manager)
    response = client.get(reverse("person_detail", args=[org.rep_east.pk]))
    assert response.context["timeline"] == []
    assert "Nothing yet." in response.content.decode()


def test_it_says_when_a_review_has_no_score(client, org):
    review = history.review(org.rep_east, org.east_coach, score="2.00")
    review.score = None
    review.save()
    client.force_login(org.east_manager)
    response = client.get(reverse("person_detail", args=[org.rep_east.pk]))
    assert "Reviewed by Cora Coach: no score, approved" in response.content.decode()
