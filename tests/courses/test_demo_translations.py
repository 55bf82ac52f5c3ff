"""The demo's Spanish course: made from its data file through wagtail-localize,
and left as it is when seed_demo runs again."""

from __future__ import annotations

import pytest

from courses import demo
from tests.factories import course_index

pytestmark = pytest.mark.django_db


def test_it_translates_objection_handling_and_crm_hygiene_once(org):
    catalogue = demo.load_catalogue()
    author = org.admin  # an enablement admin, like Priya
    index = course_index()
    course = demo._course(index, catalogue.courses["objection-handling"], author)
    crm = demo._course(index, catalogue.courses["crm-hygiene"], author)
    pages = {"objection-handling": course, "crm-hygiene": crm}

    assert demo._course_translations(catalogue, pages, author) == 6
    spanish = course.get_translations().get(locale__language_code="es")
    assert (spanish.title, spanish.live) == ("Manejo de objeciones", True)
    lessons = [
        lesson.get_translations().get(locale__language_code="es")
        for lesson in course.lessons()
    ]
    assert [lesson.title for lesson in lessons] == [
        "Un método para cualquier objeción",
        "La objeción de precio",
    ]
    assert "Las objeciones son información" in str(lessons[0].body)
    # Open from the first day, so Lucía, eight days in, reads it in the demo.
    assert [
        lesson.get_translations().get(locale__language_code="es").title
        for lesson in crm.lessons()
    ] == [
        "Las reglas que sigue cada representante",
        "Criterios de salida de cada etapa",
    ]
    assert demo._course_translations(catalogue, pages, author) == 0


def test_it_refuses_a_translation_file_with_a_lesson_missing(
    org, tmp_path, monkeypatch
):
    folder = tmp_path / "es"
    folder.mkdir()
    (folder / "objection-handling.toml").write_text(
        'title = "T"\nsummary = "S"\n[[lessons]]\ntitle = "L"\n'
        '[[lessons.body]]\nheading = "H"\n'
    )
    load = demo.load_course_translations
    monkeypatch.setattr(demo, "load_course_translations", lambda: load(tmp_path))
    catalogue = demo.load_catalogue()
    author = org.admin  # an enablement admin, like Priya
    course = demo._course(
        course_index(), catalogue.courses["objection-handling"], author
    )
    with pytest.raises(demo.DemoDataError, match="1 lessons, the course has 2"):
        demo._course_translations(catalogue, {"objection-handling": course}, author)


def test_it_translates_the_course_index_over_the_copy_a_course_left(org):
    catalogue = demo.load_catalogue()
    author = org.admin
    index = course_index()
    pages = {
        key: demo._course(index, catalogue.courses[key], author)
        for key in ("objection-handling", "crm-hygiene")
    }
    demo._course_translations(catalogue, pages, author)
    copy = index.get_translations().get(locale__language_code="es")
    assert copy.alias_of_id == index.pk  # wagtail-localize's copy of the parent

    assert demo._index_translations(index, author) == 1

    spanish = index.get_translations().get(locale__language_code="es")
    assert (spanish.pk, spanish.title, spanish.live) == (copy.pk, "Cursos", True)
    assert spanish.alias_of_id is None
    assert "Todo lo que Northwind enseña" in spanish.specific.intro
    assert demo._index_translations(index, author) == 0  # seed_demo again
