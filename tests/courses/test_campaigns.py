"""Recurring training: cycles, audiences, materialisation, repeated courses."""

from __future__ import annotations

import datetime as dt

import pytest

from courses import services
from courses.models import Assignment, LessonCompletion, TrainingCampaign
from courses.selectors import my_learning

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("starts_on", "frequency", "on", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28), dt.date(2026, 2, 28)),
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 27), dt.date(2026, 1, 31)),
        (dt.date(2026, 1, 31), 1, dt.date(2026, 3, 30), dt.date(2026, 2, 28)),
        (dt.date(2026, 1, 31), 1, dt.date(2026, 3, 31), dt.date(2026, 3, 31)),
        (dt.date(2027, 1, 31), 1, dt.date(2028, 2, 29), dt.date(2028, 2, 29)),
        (dt.date(2026, 1, 1), 3, dt.date(2026, 6, 30), dt.date(2026, 4, 1)),
        (dt.date(2026, 1, 15), 12, dt.date(2027, 1, 14), dt.date(2026, 1, 15)),
        (dt.date(2026, 1, 15), 12, dt.date(2025, 12, 1), None),
    ],
)
def test_it_finds_the_cycle_a_day_falls_in_including_month_ends(
    starts_on, frequency, on, expected
):
    campaign = TrainingCampaign(starts_on=starts_on, frequency=frequency)
    assert campaign.cycle_start(on) == expected


@pytest.fixture
def monthly(catalogue):
    return TrainingCampaign.objects.create(
        title="Product update",
        starts_on=dt.date(2026, 1, 31),
        frequency=TrainingCampaign.Frequency.MONTHLY,
        course=catalogue.course,
        due_days=10,
    )


def test_it_materialises_one_assignment_per_person_per_cycle_however_often_it_runs(
    org, monthly
):
    assert services.campaigns_materialise(today=dt.date(2026, 2, 28)) == 5  # members
    assert services.campaigns_materialise(today=dt.date(2026, 2, 28)) == 0
    assert services.campaigns_materialise(today=dt.date(2026, 3, 15)) == 0
    assert services.campaigns_materialise(today=dt.date(2026, 3, 31)) == 5
    cycles = Assignment.objects.filter(user=org.rep_east).values_list(
        "cycle_start", flat=True
    )
    assert sorted(cycles) == [dt.date(2026, 2, 28), dt.date(2026, 3, 31)]
    feb = Assignment.objects.get(user=org.rep_east, cycle_start=dt.date(2026, 2, 28))
    assert feb.reason == "monthly"
    assert feb.due_at.date() == dt.date(2026, 3, 10)


def test_it_reaches_only_its_audience(org, monthly):
    monthly.teams.add(org.east)
    monthly.for_coaches = True
    monthly.save()
    services.campaigns_materialise(today=dt.date(2026, 2, 28))
    reached = set(Assignment.objects.values_list("user__full_name", flat=True))
    assert reached == {"Rae East", "Reid East", "Cora Coach"}


def test_it_asks_for_a_repeated_course_afresh_each_cycle_and_keeps_the_old_record(
    org, catalogue, monthly
):
    rep = org.rep_east
    services.campaigns_materialise(today=dt.date(2026, 2, 28))
    feb = Assignment.objects.get(user=rep)
    from django.utils import timezone

    LessonCompletion.objects.bulk_create(
        LessonCompletion(
            user=rep,
            lesson=lesson,
            how="read",
            completed_at=timezone.now().replace(year=2026, month=3, day=1),
        )
        for lesson in (catalogue.intro, catalogue.video_lesson, catalogue.wrap_up)
    )
    services.assignments_recount(course=catalogue.course)
    feb.refresh_from_db()
    assert feb.completed_at is not None

    services.campaigns_materialise(today=dt.date(2026, 3, 31))
    march = Assignment.objects.get(user=rep, cycle_start=dt.date(2026, 3, 31))
    assert (march.required_done, march.completed_at) == (0, None)
    assert my_learning(user=rep).open[0].steps[0].outline.percent == 0

    # Doing it again inside the new cycle completes it; earlier rows stay.
    for lesson in (catalogue.intro, catalogue.video_lesson, catalogue.wrap_up):
        completion, created = services.lesson_complete(
            user=rep, lesson=lesson, how="read"
        )
        assert created
    march.refresh_from_db()
    assert march.completed_at is not None
    assert (
        LessonCompletion.objects.filter(user=rep, lesson=catalogue.intro).count() == 2
    )


def test_it_gives_a_late_joiner_the_cycle_only_with_enough_time_left(
    org, monthly, settings, user_factory
):
    from django.utils import timezone

    settings.CAMPAIGN_MIN_DAYS_LEFT = 7
    late = user_factory(team=org.east)
    type(late).objects.filter(pk=late.pk).update(
        date_joined=timezone.now().replace(year=2026, month=3, day=5)
    )
    early = user_factory(team=org.east)
    type(early).objects.filter(pk=early.pk).update(
        date_joined=timezone.now().replace(year=2026, month=3, day=1)
    )
    services.campaigns_materialise(today=dt.date(2026, 3, 5))  # due 10 Mar: 5 days left
    assert not Assignment.objects.filter(user=late).exists()
    services.campaigns_materialise(today=dt.date(2026, 3, 31))
    assert Assignment.objects.filter(user=late).exists()


def test_it_uses_the_newest_course_with_the_tag(org, catalogue):
    catalogue.course.tags.add("product-update")
    catalogue.course.save_revision().publish()
    campaign = TrainingCampaign.objects.create(
        title="Newest", starts_on=dt.date(2026, 1, 1), newest_with_tag="product-update"
    )
    assert (
        services.campaign_course(campaign, on=dt.date(2026, 2, 1)) == catalogue.course
    )


def test_it_lets_a_rep_add_a_catalogue_course_to_my_learning(client, org, catalogue):
    from django.urls import reverse

    client.force_login(org.rep_east)
    client.post(reverse("course_enrol", args=[catalogue.course.pk]))
    client.post(reverse("course_enrol", args=[catalogue.course.pk]))
    (assignment,) = Assignment.objects.all()
    assert (assignment.user, assignment.reason, assignment.due_at) == (
        org.rep_east,
        "manual",
        None,
    )


def test_it_ties_each_role_to_the_chosen_teams(org, monthly):
    org.north.managers.add(org.rep_east)  # a rep in East who manages North
    monthly.teams.add(org.east)
    monthly.for_reps, monthly.for_managers = False, True
    monthly.save()
    services.campaigns_materialise(today=dt.date(2026, 2, 28))
    reached = set(Assignment.objects.values_list("user__full_name", flat=True))
    assert reached == {"Ed East"}
