"""Exporting a review's comments as WebVTT and CSV, for every kind of viewer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.coaching.test_views import DOES_NOT_SEE, SEES


@pytest.mark.parametrize("who", SEES)
def test_it_exports_a_submitted_review_to_those_who_see_it(
    client, org, submissions, who
):
    review = submissions.reviewed()
    client.force_login(org[who])
    vtt = client.get(reverse("coaching_review_vtt", args=[review.pk]))
    assert vtt.status_code == 200
    assert vtt["Content-Type"].startswith("text/vtt")
    assert vtt.content.decode().startswith("WEBVTT")
    assert "Good opener." in vtt.content.decode()
    csv = client.get(reverse("coaching_review_csv", args=[review.pk]))
    assert csv.status_code == 200 and "Good opener." in csv.content.decode()


@pytest.mark.parametrize("who", DOES_NOT_SEE)
def test_it_answers_404_for_exports_to_others(client, org, submissions, who):
    review = submissions.reviewed()
    client.force_login(org[who])
    assert (
        client.get(reverse("coaching_review_vtt", args=[review.pk])).status_code == 404
    )
    assert (
        client.get(reverse("coaching_review_csv", args=[review.pk])).status_code == 404
    )


def test_it_does_not_export_a_draft_to_the_rep(client, org, submissions):
    draft = submissions.in_review()
    client.force_login(org.rep_east)
    assert (
        client.get(reverse("coaching_review_vtt", args=[draft.pk])).status_code == 404
    )
    client.force_login(org.east_coach)
    assert (
        client.get(reverse("coaching_review_vtt", args=[draft.pk])).status_code == 200
    )
