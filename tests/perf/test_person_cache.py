"""The per-person cached state (issue 20): My learning, the start page, the lock state
of a lesson, a person's roles and the teams they manage are kept in the cache,
and never shown stale: a new completion, an assignment change, a due date
passing, a team move, a revoked role or a published welcome shows at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings

from courses.models import Assignment, LessonCompletion
from courses.services import assignment_create, assignment_unassign, lesson_complete
from lms.accounts.models import Team
from lms.lib import person_cache
from lms.models import HomePage
from tests.factories import (
    CoursePageFactory,
    LessonPageFactory,
    RepFactory,
    TeamFactory,
    make_path,
)

LOCKED = "Opens when you complete"


def _path(rep: Any) -> tuple[list[Any], list[list[Any]]]:
    courses = [CoursePageFactory(title=f"Course {n}", summary="S.") for n in range(2)]
    lessons = [[LessonPageFactory(parent=c) for _ in range(2)] for c in courses]
    path = make_path("First 30 days", (courses[0], 7), (courses[1], 14), locked={1})
    assignment_create(user=rep, path=path, reason=Assignment.Reason.ONBOARDING)
    return courses, lessons


def test_it_shows_a_new_completion_on_my_learning_at_once(
    client: Any, org: Any
) -> None:
    rep = org.rep_east
    _courses, lessons = _path(rep)
    client.force_login(rep)
    assert "0%" in client.get("/learning/").content.decode()
    lesson_complete(user=rep, lesson=lessons[0][0], how=LessonCompletion.How.READ)
    assert "50%" in client.get("/learning/").content.decode()


def test_it_unlocks_the_next_course_at_once(client: Any, org: Any) -> None:
    rep = org.rep_east
    _courses, lessons = _path(rep)
    client.force_login(rep)
    assert LOCKED in client.get(lessons[1][0].url).content.decode()
    for lesson in lessons[0]:
        lesson_complete(user=rep, lesson=lesson, how=LessonCompletion.How.READ)
    assert LOCKED not in client.get(lessons[1][0].url).content.decode()


def test_it_drops_an_unassigned_path_at_once(client: Any, org: Any) -> None:
    rep = org.rep_east
    _path(rep)
    client.force_login(rep)
    assert "First 30 days" in client.get("/learning/").content.decode()
    assignment_unassign(assignment=Assignment.objects.get(user=rep))
    assert "First 30 days" not in client.get("/learning/").content.decode()


def test_it_shows_a_team_move_on_the_start_page_at_once(client: Any, org: Any) -> None:
    rep = org.rep_east
    client.force_login(rep)
    page = client.get("/").content.decode()
    assert "Cora Coach" in page and "Milo Multi" not in page
    rep.team = org.north
    rep.save()
    page = client.get("/").content.decode()
    assert "Milo Multi" in page and "Cora Coach" not in page


def test_it_shows_a_new_coach_on_the_start_page_at_once(client: Any, org: Any) -> None:
    client.force_login(org.rep_north)
    assert "Cora Coach" not in client.get("/").content.decode()
    org.north.coaches.add(org.east_coach)
    assert "Cora Coach" in client.get("/").content.decode()


def test_a_coachs_new_name_shows_on_the_start_page_at_once(
    client: Any, org: Any
) -> None:
    client.force_login(org.rep_east)
    assert "Cora Coach" in client.get("/").content.decode()
    org.east_coach.full_name = "Cora Trainer"
    org.east_coach.save()
    page = client.get("/").content.decode()
    assert "Cora Trainer" in page and "Cora Coach" not in page


def test_a_removed_manager_leaves_the_start_page_at_once(client: Any, org: Any) -> None:
    client.force_login(org.rep_east)
    assert "Ed East" in client.get("/").content.decode()
    org.east_manager.delete()
    assert "Ed East" not in client.get("/").content.decode()


def test_a_revoked_manager_loses_the_role_at_once(client: Any, org: Any) -> None:
    manager = org.east_manager
    client.force_login(manager)
    assert 'href="/team/"' in client.get("/").content.decode()
    org.east.managers.remove(manager)
    assert 'href="/team/"' not in client.get("/").content.decode()
    assert client.get("/team/").status_code == 403


def test_my_team_shows_a_team_managed_since_at_once(client: Any, org: Any) -> None:
    """The teams a manager sees are kept per person (`visibility.managed_subtree`):
    a team given or taken away shows at the next request."""
    client.force_login(org.east_manager)
    assert "Nora North" not in client.get("/team/").content.decode()
    org.north.managers.add(org.east_manager)
    assert "Nora North" in client.get("/team/").content.decode()
    org.north.managers.remove(org.east_manager)
    page = client.get("/team/").content.decode()
    assert "Nora North" not in page and "Rae East" in page


def test_my_team_shows_a_new_sub_team_at_once(client: Any, org: Any) -> None:
    client.force_login(org.region_manager)
    assert "Sam South" not in client.get("/team/").content.decode()
    south = TeamFactory(name="South", parent=org.americas)
    RepFactory(team=south, full_name="Sam South")
    assert "Sam South" in client.get("/team/").content.decode()


def test_my_team_loses_a_team_moved_elsewhere_at_once(
    client: Any, org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """As the Django admin moves a team: saved, then moved, in one transaction; a
    request between the two cannot keep the old subtree past the commit."""
    client.force_login(org.region_manager)
    assert "Wes West" in client.get("/team/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        west = Team.objects.get(pk=org.west.pk)
        west.save()
        client.get("/team/")  # another request, before the move
        west.move(Team.objects.get(pk=org.emea.pk), pos="sorted-child")
    page = client.get("/team/").content.decode()
    assert "Wes West" not in page and "Rae East" in page


def test_it_reads_the_state_again_on_a_new_day_in_the_persons_zone(
    org: Any, time_machine: Any
) -> None:
    rep = org.rep_east
    rep.time_zone = "Asia/Kolkata"  # UTC+5:30
    rep.save()
    computed: list[int] = []

    def compute() -> tuple[int, None]:
        computed.append(1)
        return len(computed), None

    time_machine.move_to(dt.datetime(2026, 3, 2, 18, 0, tzinfo=dt.UTC), tick=False)
    assert person_cache.cached_for_person(user=rep, name="t", compute=compute) == 1
    # 18:20 UTC is 23:50 in Kolkata: the same day there.
    time_machine.move_to(dt.datetime(2026, 3, 2, 18, 20, tzinfo=dt.UTC), tick=False)
    assert person_cache.cached_for_person(user=rep, name="t", compute=compute) == 1
    # 18:40 UTC is 00:10 the next day in Kolkata (still 2 March in UTC).
    time_machine.move_to(dt.datetime(2026, 3, 2, 18, 40, tzinfo=dt.UTC), tick=False)
    assert person_cache.cached_for_person(user=rep, name="t", compute=compute) == 2


def test_it_reads_the_state_again_once_it_no_longer_holds(
    org: Any, time_machine: Any
) -> None:
    rep = org.rep_east
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    computed: list[int] = []

    def compute() -> tuple[int, dt.datetime]:
        computed.append(1)
        return len(computed), start + dt.timedelta(hours=1)

    assert person_cache.cached_for_person(user=rep, name="t", compute=compute) == 1
    time_machine.move_to(start + dt.timedelta(minutes=59), tick=False)
    assert person_cache.cached_for_person(user=rep, name="t", compute=compute) == 1
    time_machine.move_to(start + dt.timedelta(hours=1), tick=False)
    assert person_cache.cached_for_person(user=rep, name="t", compute=compute) == 2


def test_state_stored_before_a_commit_is_not_read_after_it(
    org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A request that read the rows before another transaction committed, and stored
    its state under the version that transaction had already changed, is not read
    after the commit."""
    rep = org.rep_east
    with django_capture_on_commit_callbacks(execute=True):
        person_cache.person_changed(user_ids=[rep.pk])
        # Another request, reading the rows as they were before the commit:
        stale = person_cache.cached_for_person(
            user=rep, name="t", compute=lambda: ("before the commit", None)
        )
        assert stale == "before the commit"
    after = person_cache.cached_for_person(
        user=rep, name="t", compute=lambda: ("after the commit", None)
    )
    assert after == "after the commit"


def test_a_change_for_everyone_is_read_by_everyone(org: Any) -> None:
    for person in (org.rep_east, org.rep_north):
        person_cache.cached_for_person(
            user=person, name="t", compute=lambda: ("old", None)
        )
    person_cache.everyone_changed()
    for person in (org.rep_east, org.rep_north):
        assert (
            person_cache.cached_for_person(
                user=person, name="t", compute=lambda: ("new", None)
            )
            == "new"
        )


@pytest.mark.parametrize("address", ["/learning/", "/"], ids=["my-learning", "start"])
def test_a_step_falling_overdue_shows_at_once(
    client: Any, org: Any, time_machine: Any, address: str
) -> None:
    """My learning's body and the start page's own part are kept rendered, but not
    past the next due date."""
    rep = org.rep_east
    rep.time_zone = "UTC"
    rep.save()
    noon = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
    time_machine.move_to(noon, tick=False)
    course = CoursePageFactory(title="Pricing", summary="S.")
    LessonPageFactory(parent=course)
    assignment_create(
        user=rep,
        course=course,
        reason=Assignment.Reason.MANUAL,
        due_at=noon + dt.timedelta(hours=2),
    )
    client.force_login(rep)
    assert "Overdue" not in client.get(address).content.decode()
    time_machine.move_to(noon + dt.timedelta(hours=1), tick=False)
    assert "Overdue" not in client.get(address).content.decode()
    time_machine.move_to(noon + dt.timedelta(hours=2, seconds=1), tick=False)
    assert "Overdue" in client.get(address).content.decode()


def test_it_shows_a_new_completion_on_the_start_page_at_once(
    client: Any, org: Any
) -> None:
    rep = org.rep_east
    _courses, lessons = _path(rep)
    client.force_login(rep)
    assert "<span>0% done</span>" in client.get("/").content.decode()
    lesson_complete(user=rep, lesson=lessons[0][0], how=LessonCompletion.How.READ)
    page = client.get("/").content.decode()
    assert "<span>25% done</span>" in page


def test_a_published_welcome_shows_on_the_start_page_at_once(
    client: Any, org: Any
) -> None:
    client.force_login(org.rep_east)
    assert "Bring your questions" not in client.get("/").content.decode()
    home = HomePage.objects.get()
    home.welcome = "<p>Bring your questions to Friday's call.</p>"
    home.save_revision().publish()
    assert "Bring your questions" in client.get("/").content.decode()


def test_a_new_name_shows_on_the_start_page_at_once(client: Any, org: Any) -> None:
    rep = org.rep_east
    client.force_login(rep)
    assert "Welcome, Rae" in client.get("/").content.decode()
    rep.full_name = "Ray East"
    rep.save()
    assert "Welcome, Ray" in client.get("/").content.decode()


def test_the_start_page_is_kept_for_each_language(client: Any, org: Any) -> None:
    client.force_login(org.rep_east)
    assert "Your people" in client.get("/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = client.get("/").content.decode()
    assert "Your people" not in page and "Tus personas de referencia" in page


def test_without_a_shared_cache_it_reads_afresh_every_time(
    org: Any, settings: Any
) -> None:
    settings.PERSON_CACHE = False
    computed: list[int] = []

    def compute() -> tuple[int, None]:
        computed.append(1)
        return len(computed), None

    rep = org.rep_east
    assert person_cache.cached_for_person(user=rep, name="t", compute=compute) == 1
    assert person_cache.cached_for_person(user=rep, name="t", compute=compute) == 2
