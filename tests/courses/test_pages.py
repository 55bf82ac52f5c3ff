"""Course pages in Wagtail: the tree rules, sign-in, and what each page shows."""

from __future__ import annotations

import pytest
from wagtail.models import Page

from courses.models import CourseIndexPage, CoursePage, LessonPage
from lms.models import HomePage

pytestmark = pytest.mark.django_db


def test_it_keeps_the_page_tree_in_order():
    assert CourseIndexPage in HomePage.allowed_subpage_models()
    assert CoursePage.allowed_parent_page_models() == [CourseIndexPage]
    assert LessonPage.allowed_parent_page_models() == [CoursePage]
    assert LessonPage.allowed_subpage_models() == []
    assert not CoursePage.can_create_at(Page.get_first_root_node())


def test_it_sends_anonymous_visitors_to_sign_in(client, catalogue):
    for page in (catalogue.index, catalogue.course, catalogue.intro):
        response = client.get(page.url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_it_shows_the_catalogue_with_progress(
    client, org, catalogue, django_assert_max_num_queries
):
    client.force_login(org.rep_east)
    with django_assert_max_num_queries(14):
        page = client.get(catalogue.index.url)
    assert page.status_code == 200
    (card,) = page.context["courses"]
    assert [line.lesson for line in card.lessons] == [
        catalogue.intro,
        catalogue.video_lesson,
        catalogue.extra,
        catalogue.wrap_up,
    ]
    assert card.percent == 0


def test_it_shows_the_course_outline_with_check_marks(client, org, catalogue):
    from courses.services import lesson_complete

    lesson_complete(user=org.rep_east, lesson=catalogue.intro, how="read")
    client.force_login(org.rep_east)
    page = client.get(catalogue.course.url)
    html = page.content.decode()
    assert "✓" in html
    assert page.context["outline"].percent == 33  # one of three required lessons
    assert page.context["outline"].next_lesson == catalogue.video_lesson
    assert ">Continue<" in html


def test_it_renders_every_kind_of_block(client, org, catalogue):
    client.force_login(org.rep_east)
    video_page = client.get(catalogue.video_lesson.url).content.decode()
    assert f'src="{catalogue.video.playback_url}"' in video_page
    assert "data-watch-url" in video_page
    wrap_up = client.get(catalogue.wrap_up.url).content.decode()
    assert "<h2>Summary</h2>" in wrap_up
    assert "callout-tip" in wrap_up
    assert "Mark as complete" in wrap_up


def test_it_links_previous_and_next_lessons(client, org, catalogue):
    client.force_login(org.rep_east)
    context = client.get(catalogue.video_lesson.url).context
    assert context["previous_lesson"] == catalogue.intro
    assert context["next_lesson"] == catalogue.extra
