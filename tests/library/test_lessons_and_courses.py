from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import CoursePageFactory, LessonPageFactory


@pytest.fixture
def competition(items, org):
    card = items.make(title="Versus Globex", body="<p>Globex charges per seat.</p>")
    course = CoursePageFactory(
        title="Competition", summary="Winning against Globex and Initech."
    )
    lesson = LessonPageFactory(
        parent=course,
        title="Know Globex",
        body=[
            ("paragraph", "<p>Read the battlecard before every call.</p>"),
            ("library_item", {"item": card}),
        ],
    )
    return card, course, lesson


def test_the_library_search_also_finds_lessons_and_courses(client, org, competition):
    card, course, lesson = competition
    client.force_login(org.rep_east)
    response = client.get(reverse("library_home"), {"q": "globex"})
    elsewhere = response.context["elsewhere"]
    assert [(found.kind_label, found.title, found.url) for found in elsewhere] == [
        ("Course", "Competition", course.url),
        ("Lesson", "Know Globex", lesson.url),
    ]
    assert elsewhere[1].context == "In Competition"
    html = response.content.decode()
    assert f'href="{lesson.url}"' in html and "Lessons and courses" in html


def test_it_finds_lessons_by_their_text(client, org, competition):
    client.force_login(org.rep_east)
    response = client.get(reverse("library_home"), {"q": "battlecard"})
    assert [found.title for found in response.context["elsewhere"]] == ["Know Globex"]


def test_it_leaves_out_unpublished_lessons(client, org, competition):
    _, _, lesson = competition
    lesson.unpublish()
    client.force_login(org.rep_east)
    response = client.get(reverse("library_home"), {"q": "battlecard"})
    assert response.context["elsewhere"] == []
    assert "Lessons and courses" not in response.content.decode()


def test_the_item_page_lists_the_lessons_that_show_it(client, org, competition):
    card, _, lesson = competition
    client.force_login(org.rep_east)
    response = client.get(reverse("library_item", args=[card.pk]))
    assert [found.url for found in response.context["related_lessons"]] == [lesson.url]
    assert "In Competition" in response.content.decode()
    lesson.unpublish()
    response = client.get(reverse("library_item", args=[card.pk]))
    assert response.context["related_lessons"] == []
    assert "No lesson shows this item yet." in response.content.decode()


def test_a_rep_outside_the_audience_sees_no_related_lessons(client, org, items):
    card = items.make(title="East only", teams=[org.east])
    client.force_login(org.rep_north)
    assert client.get(reverse("library_item", args=[card.pk])).status_code == 404
