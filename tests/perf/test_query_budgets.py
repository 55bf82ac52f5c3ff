"""Query budgets of the pages a person opens every day (issue 20).

Each page is requested twice, with a small and a large history (or team); the two
counts must be equal (flat) and within the page's budget, Wagtail routing included.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Assignment, LessonCompletion
from courses.services import assignment_create, lesson_complete
from lms.lib import person_cache
from tests.factories import (
    CoursePageFactory,
    LessonPageFactory,
    RepFactory,
    make_path,
)

LESSON_BUDGET = 4
MY_LEARNING_BUDGET = 6
START_PAGE_BUDGET = 6
START_PAGE_FIRST_VISIT_BUDGET = 14
MY_TEAM_BUDGET = 11


class Learning:
    """A path of three courses of three lessons, the last two steps locked."""

    def __init__(self) -> None:
        self.courses = [
            CoursePageFactory(title=f"Course {n}", summary="S.") for n in range(3)
        ]
        self.lessons = [
            [LessonPageFactory(parent=course) for _ in range(3)]
            for course in self.courses
        ]
        self.path = make_path(
            "First 30 days",
            *[(course, 7 * (n + 1)) for n, course in enumerate(self.courses)],
            locked={1, 2},
        )

    def grow_history(self, user: Any, size: int) -> None:
        """More finished courses and completions: `size` extra courses done."""
        for _ in range(size):
            course = CoursePageFactory(summary="S.")
            lessons = [LessonPageFactory(parent=course) for _ in range(2)]
            assignment_create(user=user, course=course, reason=Assignment.Reason.MANUAL)
            for lesson in lessons:
                lesson_complete(user=user, lesson=lesson, how=LessonCompletion.How.READ)


@pytest.fixture
def learning(db: None) -> Learning:
    return Learning()


def count(client: Any, url: str) -> tuple[int, list[str]]:
    client.get(url)  # first requests may fill caches (sites, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured), [q["sql"] for q in captured.captured_queries]


def count_first_visit(client: Any, url: str) -> tuple[int, list[str]]:
    """The count of a visit that reads the person's state again, as after a change
    (`lms.lib.person_cache`)."""
    client.get(url)
    person_cache.everyone_changed()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured), [q["sql"] for q in captured.captured_queries]


def assert_flat(
    small: tuple[int, list[str]], large: tuple[int, list[str]], budget: int
) -> None:
    assert large[0] == small[0], "\n".join(large[1])
    assert small[0] <= budget, "\n".join(small[1])


def test_lesson_page(client: Any, org: Any, learning: Learning) -> None:
    rep = org.rep_east
    assignment_create(user=rep, path=learning.path, reason=Assignment.Reason.ONBOARDING)
    lesson_complete(
        user=rep, lesson=learning.lessons[0][0], how=LessonCompletion.How.READ
    )
    client.force_login(rep)
    url = learning.lessons[0][1].url
    learning.grow_history(rep, 1)
    small = count(client, url)
    learning.grow_history(rep, 8)
    large = count(client, url)
    assert_flat(small, large, LESSON_BUDGET)


def test_lesson_page_in_bengali(client: Any, org: Any, learning: Learning) -> None:
    """Issue 19: the reader's language adds no query, translated or not (the lesson
    read here is untranslated, its course translated)."""
    from tests.translations import translate_page

    rep = org.rep_east
    rep.language = "bn"
    rep.save(update_fields=["language"])
    assignment_create(user=rep, path=learning.path, reason=Assignment.Reason.ONBOARDING)
    translate_page(learning.courses[0], "bn", title="কোর্স")
    client.force_login(rep)
    url = learning.lessons[0][1].url
    learning.grow_history(rep, 1)
    small = count(client, url)
    assert '<html lang="bn"' in client.get(url).text
    learning.grow_history(rep, 8)
    large = count(client, url)
    assert_flat(small, large, LESSON_BUDGET)


@pytest.mark.parametrize(
    ("url", "counting", "budget"),
    [
        ("/learning/", count, MY_LEARNING_BUDGET),
        ("/", count, START_PAGE_BUDGET),
        ("/", count_first_visit, START_PAGE_FIRST_VISIT_BUDGET),
    ],
    ids=["my-learning", "start-page", "start-page-first-visit"],
)
def test_a_reps_page(
    client: Any,
    org: Any,
    learning: Learning,
    url: str,
    counting: Callable[[Any, str], Any],
    budget: int,
) -> None:
    rep = org.rep_east
    assignment_create(user=rep, path=learning.path, reason=Assignment.Reason.ONBOARDING)
    client.force_login(rep)
    learning.grow_history(rep, 1)
    small = counting(client, url)
    learning.grow_history(rep, 8)
    large = counting(client, url)
    assert_flat(small, large, budget)


def test_my_team(client: Any, org: Any, learning: Learning) -> None:
    client.force_login(org.region_manager)

    def grow(size: int) -> None:
        for n in range(size):
            rep = RepFactory(team=org.east if n % 2 else org.west)
            assignment_create(
                user=rep, path=learning.path, reason=Assignment.Reason.ONBOARDING
            )
            lesson_complete(
                user=rep, lesson=learning.lessons[0][0], how=LessonCompletion.How.READ
            )

    grow(2)
    small = count(client, "/team/")
    grow(10)
    large = count(client, "/team/")
    assert_flat(small, large, MY_TEAM_BUDGET)


def test_a_rep_moved_out_of_the_team_leaves_my_team_at_once(
    client: Any, org: Any
) -> None:
    client.force_login(org.east_manager)
    assert "Rae East" in client.get("/team/").content.decode()
    org.rep_east.team = org.north
    org.rep_east.save()
    assert "Rae East" not in client.get("/team/").content.decode()


def test_a_revoked_manager_loses_my_team_at_once(client: Any, org: Any) -> None:
    client.force_login(org.east_manager)
    assert client.get("/team/").status_code == 200
    org.east.managers.remove(org.east_manager)
    assert client.get("/team/").status_code == 403


def test_a_change_within_a_request_empties_the_request_cache(org: Any) -> None:
    from django.http import HttpResponse

    from lms.accounts import visibility
    from lms.lib.request_cache import RequestCacheMiddleware

    seen: list[set[str]] = []

    def view(request: Any) -> HttpResponse:
        manager = org.east_manager
        seen.append({t.name for t in visibility.managed_teams(manager)})
        seen.append({t.name for t in visibility.managed_teams(manager)})
        org.west.managers.add(manager)
        seen.append({t.name for t in visibility.managed_teams(manager)})
        org.east.managers.remove(manager)
        org.west.managers.remove(manager)
        seen.append({t.name for t in visibility.managed_teams(manager)})
        return HttpResponse()

    RequestCacheMiddleware(view)(None)  # type: ignore[arg-type]
    assert seen == [{"East"}, {"East"}, {"East", "West"}, set()]
