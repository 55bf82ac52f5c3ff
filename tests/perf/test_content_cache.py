"""What every page view keeps in the cache as content, the same for everyone (issue
20): its site, the pages on its route, a course's lessons, which pages are
translated (`lms.pages`, `courses.selectors`). A publish, a new page, a move, an
unpublish or a change of site shows at the next request; and what belongs to the
person on the same page (a completion, a lock) is theirs at once."""

from __future__ import annotations

from typing import Any

from courses.models import Assignment, LessonCompletion
from courses.services import assignment_create, lesson_complete
from tests.factories import CoursePageFactory, LessonPageFactory, make_path


def _course(title: str = "Pricing") -> tuple[Any, list[Any]]:
    course = CoursePageFactory(title=title, summary="S.")
    lessons = [LessonPageFactory(parent=course, title=f"{title} {n}") for n in range(2)]
    return course, lessons


def test_a_new_revision_of_a_lesson_shows_at_the_next_request(
    client: Any, org: Any
) -> None:
    _, lessons = _course()
    client.force_login(org.rep_east)
    assert "<p>Pricing 0.</p>" in client.get(lessons[0].url).text
    lessons[0].body = [("paragraph", "<p>Value first.</p>")]
    lessons[0].title = "Value"
    lessons[0].save_revision().publish()

    html = client.get(lessons[0].url).text
    assert "<p>Value first.</p>" in html and "<p>Pricing 0.</p>" not in html
    assert "← Value</a>" in client.get(lessons[1].url).text


def test_an_unpublished_lesson_is_gone_at_the_next_request(
    client: Any, org: Any
) -> None:
    _, lessons = _course()
    client.force_login(org.rep_east)
    assert client.get(lessons[1].url).status_code == 200
    assert "Pricing 1 →" in client.get(lessons[0].url).text
    lessons[1].unpublish()

    assert client.get(lessons[1].url).status_code == 404
    assert "Pricing 1 →" not in client.get(lessons[0].url).text


def test_a_new_lesson_shows_in_its_course_at_the_next_request(
    client: Any, org: Any
) -> None:
    course, lessons = _course()
    client.force_login(org.rep_east)
    assert "Pricing 2" not in client.get(course.url).text
    added = LessonPageFactory(parent=course, title="Pricing 2")

    assert "Pricing 2 →" in client.get(lessons[1].url).text
    assert client.get(added.url).status_code == 200


def test_a_completion_shows_on_the_lesson_and_course_pages_at_once(
    client: Any, org: Any
) -> None:
    course, lessons = _course()
    rep = org.rep_east
    client.force_login(rep)
    assert "You have completed this lesson." not in client.get(lessons[0].url).text
    assert "✓" not in client.get(course.url).text
    lesson_complete(user=rep, lesson=lessons[0], how=LessonCompletion.How.READ)

    assert "You have completed this lesson." in client.get(lessons[0].url).text
    assert "✓" in client.get(course.url).text


def test_a_lock_lifts_on_the_lesson_page_at_once(client: Any, org: Any) -> None:
    first, first_lessons = _course("Basics")
    second, second_lessons = _course("Advanced")
    rep = org.rep_east
    path = make_path("First 30 days", (first, 7), (second, 14), locked={1})
    assignment_create(user=rep, path=path, reason=Assignment.Reason.ONBOARDING)
    client.force_login(rep)
    assert "This step is locked." in client.get(second_lessons[0].url).text
    for lesson in first_lessons:
        lesson_complete(user=rep, lesson=lesson, how=LessonCompletion.How.READ)

    assert "This step is locked." not in client.get(second_lessons[0].url).text


def test_a_change_of_site_shows_at_the_next_request(client: Any, org: Any) -> None:
    from wagtail.models import Site

    _, lessons = _course()
    client.force_login(org.rep_east)
    assert client.get(lessons[0].url).status_code == 200
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.is_default_site = "elsewhere.example", False
    site.save()

    assert client.get(lessons[0].url).status_code == 404


def test_made_up_host_headers_share_one_cached_site(
    client: Any, org: Any, settings: Any, monkeypatch: Any
) -> None:
    """The site is kept per host name a site has; any other Host header (another
    port, case, trailing dot) gets the default site from one shared entry, so a
    visitor cannot fill the cache with them."""
    from lms.lib import person_cache

    names: set[str] = set()
    keep = person_cache.cached_for_everyone

    def noting(*, name: str, **kwargs: Any) -> Any:
        names.add(name)
        return keep(name=name, **kwargs)

    monkeypatch.setattr(person_cache, "cached_for_everyone", noting)
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    _, lessons = _course()
    client.force_login(org.rep_east)
    hosts = ["localhost", "LocalHost", "localhost.", "127.0.0.1:1", "127.0.0.1:2"]
    for host in hosts:
        assert client.get(lessons[0].url, headers={"host": host}).status_code == 200

    # localhost (the demo site's name) and every other host
    assert {name for name in names if name.startswith("site:")} == {
        "site:localhost:80",
        "site:*",
    }
