from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from coaching import services
from coaching.models import Rubric
from coaching.rubrics import criteria_problems, rubric_problems, threshold_problems
from coaching.services import CoachingRefused
from tests.factories import levels_for, make_rubric

LEVELS = ["Absent", "Weak", "Fair", "Good", "Excellent"]
ADD_URL = "wagtailsnippets_coaching_rubric:add"


def test_it_accepts_weights_adding_up_to_exactly_100():
    assert criteria_problems([("A", 60, LEVELS), ("B", 40, LEVELS)]) == []
    assert criteria_problems([("All", 100, LEVELS)]) == []


@pytest.mark.parametrize(
    ("criteria", "problem"),
    [
        ([("A", 60, LEVELS), ("B", 30, LEVELS)], "add up to 90%"),
        ([("A", 60, LEVELS), ("B", 41, LEVELS)], "add up to 101%"),
        ([("A", 0, LEVELS), ("B", 100, LEVELS)], "“A” needs a weight from 1 to 100"),
        ([("A", None, LEVELS), ("B", 100, LEVELS)], "needs a weight"),
        ([("A", 100, ["a", "b", "", "d", ""])], "“A”: describe level 3, 5"),
        ([("A", 100, LEVELS[:4])], "describe every level of the 1–5 scale"),
        ([], "at least one criterion"),
    ],
)
def test_it_explains_what_is_wrong_with_criteria(criteria, problem):
    assert any(problem in text for text in criteria_problems(criteria))


@pytest.mark.parametrize("threshold", ["0.99", "5.01", None])
def test_it_keeps_the_threshold_within_the_scale(threshold):
    value = None if threshold is None else Decimal(threshold)
    assert threshold_problems(value) == ["The pass threshold must lie between 1 and 5."]
    assert threshold_problems(Decimal("1")) == threshold_problems(Decimal("5")) == []


def test_it_refuses_to_score_against_a_broken_rubric(org, submissions, rubric):
    review = submissions.in_review()
    criterion = rubric.criteria.first()
    criterion.weight += 1
    criterion.save()
    assert rubric_problems(rubric) == [
        "The weights add up to 101%; they must add up to exactly 100%."
    ]
    with pytest.raises(CoachingRefused, match="not usable: The weights add up"):
        services.review_submit(
            review=review,
            coach=org.east_coach,
            levels=levels_for(rubric, 4, 4, 4, 4),
            summary="",
            outcome="approved",
        )


def _post(criteria, name="Demo call", threshold="3.00", existing=()):
    data = {
        "name": name,
        "description": "",
        "pass_threshold": threshold,
        "criteria-TOTAL_FORMS": str(len(existing) + len(criteria)),
        "criteria-INITIAL_FORMS": str(len(existing)),
        "criteria-MIN_NUM_FORMS": "1",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    rows = [*existing, *criteria]
    for index, row in enumerate(rows):
        values = {
            "id": "",
            "name": f"Criterion {index}",
            "description": "",
            "weight": "50",
            **{f"level_{n}": LEVELS[n - 1] for n in range(1, 6)},
            "ORDER": str(index + 1),
            "DELETE": "",
        }
        values.update(row)
        for key, value in values.items():
            data[f"criteria-{index}-{key}"] = value
    return data


@pytest.mark.parametrize(
    ("criteria", "threshold", "message"),
    [
        ([{"weight": "50"}, {"weight": "40"}], "3.00", "The weights add up to 90%"),
        ([{"weight": "70"}, {"weight": "40"}], "3.00", "add up to 110%"),
        ([{"weight": "100", "level_3": ""}], "3.00", "This field is required"),
        ([{"weight": "100"}], "5.50", "Ensure this value is less than or equal to 5"),
        ([{"weight": "100"}], "0.50", "greater than or equal to 1"),
        (
            [{"weight": "50"}, {"weight": "50", "DELETE": "1"}],
            "3.00",
            "The weights add up to 50%",
        ),
    ],
)
def test_it_refuses_rubrics_that_break_the_rules_in_the_admin(
    client, org, criteria, threshold, message
):
    client.force_login(org.admin)
    response = client.post(reverse(ADD_URL), _post(criteria, threshold=threshold))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Rubric.objects.exists()


def test_it_saves_a_valid_rubric_from_the_admin(client, org):
    client.force_login(org.admin)
    response = client.post(
        reverse(ADD_URL),
        _post(
            [{"name": "Questions", "weight": "65"}, {"name": "Close", "weight": "35"}]
        ),
    )
    assert response.status_code == 302
    rubric = Rubric.objects.get(name="Demo call")
    assert [(c.name, c.weight) for c in rubric.criteria.order_by("sort_order")] == [
        ("Questions", 65),
        ("Close", 35),
    ]
    assert rubric_problems(rubric) == []


def test_it_refuses_to_remove_a_criterion_that_reviews_scored(client, org, submissions):
    submissions.reviewed()
    rubric = submissions.rubric
    criteria = list(rubric.criteria.order_by("sort_order"))
    existing = [
        {"id": str(c.pk), "name": c.name, "weight": str(c.weight)} for c in criteria
    ]
    existing[0]["DELETE"] = "1"
    existing[1]["weight"] = str(criteria[1].weight + criteria[0].weight)
    client.force_login(org.admin)
    response = client.post(
        reverse("wagtailsnippets_coaching_rubric:edit", args=[rubric.pk]),
        _post([], name=rubric.name, existing=existing),
    )
    assert response.status_code == 200
    assert "“Agenda setting” is scored in 1 review; it cannot be removed" in (
        response.content.decode()
    )
    assert rubric.criteria.count() == 4


def test_it_puts_rubrics_in_a_coaching_menu_for_enablement_admins(client, org):
    make_rubric(name="Demo call")
    client.force_login(org.admin)
    html = client.get("/admin/").content.decode()
    assert "Coaching" in html and "Rubrics" in html
    listing = client.get(reverse("wagtailsnippets_coaching_rubric:list"))
    assert listing.status_code == 200
    assert "Demo call" in listing.content.decode()


@pytest.mark.parametrize("person", ["rep_east", "east_coach", "east_manager"])
def test_it_keeps_everyone_else_out_of_the_rubric_admin(client, org, person):
    client.force_login(org[person])
    response = client.get(reverse("wagtailsnippets_coaching_rubric:list"))
    assert response.status_code == 302
    response = client.post(reverse(ADD_URL), _post([{"weight": "100"}]))
    assert response.status_code == 302
    assert not Rubric.objects.exists()


def test_it_keeps_a_rubric_that_requests_use(client, org, submissions):
    submission = submissions.requested()
    client.force_login(org.admin)
    url = reverse("wagtailsnippets_coaching_rubric:delete", args=[submission.rubric_id])

    response = client.post(url, follow=True)

    assert response.status_code == 200
    assert "cannot be deleted" in response.content.decode()
    assert Rubric.objects.filter(pk=submission.rubric_id).exists()


def test_it_deletes_a_rubric_nothing_uses(client, org):
    unused = make_rubric(name="Unused")
    client.force_login(org.admin)

    client.post(reverse("wagtailsnippets_coaching_rubric:delete", args=[unused.pk]))

    assert not Rubric.objects.filter(pk=unused.pk).exists()


def test_it_saves_the_call_targets_of_a_rubric_from_the_admin(client, org):
    client.force_login(org.admin)
    data = _post([{"weight": "100"}])
    data |= {
        "talk_ratio_min": "30",
        "talk_ratio_max": "45",
        "monologue_max_seconds": "90",
    }
    assert client.post(reverse(ADD_URL), data).status_code == 302
    rubric = Rubric.objects.get(name="Demo call")
    assert (rubric.talk_ratio_min, rubric.talk_ratio_max) == (30, 45)
    assert rubric.monologue_max_seconds == 90


def test_it_refuses_a_talk_ratio_target_whose_range_is_upside_down(client, org):
    client.force_login(org.admin)
    data = _post([{"weight": "100"}]) | {"talk_ratio_min": "50", "talk_ratio_max": "40"}
    response = client.post(reverse(ADD_URL), data)
    assert response.status_code == 200
    assert "The highest talk ratio is below the lowest." in response.content.decode()
    assert not Rubric.objects.exists()
