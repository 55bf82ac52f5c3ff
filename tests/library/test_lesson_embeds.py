from __future__ import annotations

import pytest

from library import services
from tests.factories import CoursePageFactory, LessonPageFactory


@pytest.fixture
def lesson_with_battlecard(items, org):
    card = items.make(
        title="Versus Globex",
        body="<p>Globex charges per seat; we do not.</p>",
        teams=[org.americas],
    )
    course = CoursePageFactory(title="Competition")
    lesson = LessonPageFactory(
        parent=course,
        title="Know Globex",
        body=[
            ("paragraph", "<p>Read the battlecard.</p>"),
            ("library_item", {"item": card}),
        ],
    )
    return lesson, card


def test_a_lesson_shows_the_current_battlecard(client, org, lesson_with_battlecard):
    lesson, card = lesson_with_battlecard
    client.force_login(org.rep_east)
    html = client.get(lesson.url).content.decode()
    assert "Globex charges per seat; we do not." in html
    assert f'href="/library/{card.pk}/"' in html
    card.body = "<p>Globex now charges per workspace.</p>"
    card.save()
    html = client.get(lesson.url).content.decode()
    assert "Globex now charges per workspace." in html
    assert "charges per seat" not in html


def test_a_lesson_hides_items_outside_the_readers_audience(
    client, org, lesson_with_battlecard
):
    lesson, _ = lesson_with_battlecard
    client.force_login(org.rep_north)
    response = client.get(lesson.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Read the battlecard." in html
    assert "Globex charges" not in html


def test_a_lesson_hides_archived_items(client, org, lesson_with_battlecard):
    lesson, card = lesson_with_battlecard
    services.item_archive(item=card)
    client.force_login(org.rep_east)
    assert "Globex charges" not in client.get(lesson.url).content.decode()
