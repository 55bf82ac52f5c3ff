"""Courses and lessons translated with wagtail-localize: a reader sees their
language's version at the source page's address, and their progress is the
source's whichever language they read in."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import LessonCompletion
from courses.selectors import course_outline
from tests.factories import CoursePageFactory, LessonPageFactory
from tests.translations import translate_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    course = CoursePageFactory(title="Objection handling", summary="Say yes, and.")
    course.first = LessonPageFactory(
        parent=course, title="Why objections", body=[("paragraph", "<p>Listen.</p>")]
    )
    course.second = LessonPageFactory(
        parent=course, title="Pricing", body=[("paragraph", "<p>Value.</p>")]
    )
    return course


@pytest.fixture
def spanish(course):
    """The course and its first lesson in Spanish (the second is not translated)."""
    translate_page(course, "es", title="Manejo de objeciones", summary="Sí, y además.")
    return translate_page(
        course.first,
        "es",
        title="Por qué hay objeciones",
        body=[("paragraph", "<p>Escucha primero.</p>")],
    )


def _reader(org, language):
    org.rep_east.language = language
    org.rep_east.save(update_fields=["language"])
    return org.rep_east


def test_it_makes_the_spanish_and_bengali_locales():
    from wagtail.models import Locale

    codes = set(Locale.objects.values_list("language_code", flat=True))
    assert {"en", "es", "bn"} <= codes


def test_it_shows_a_spanish_reader_the_translation_at_the_source_address(
    client, org, course, spanish
):
    client.force_login(_reader(org, "es"))
    response = client.get(course.first.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Por qué hay objeciones" in html
    assert "Escucha primero." in html
    assert "Listen." not in html
    assert response.context["page"].pk == course.first.pk
    assert response.context["page"].reading_note == ""
    # The outline names the course and the translated lesson in Spanish.
    assert "Manejo de objeciones" in html


def test_it_shows_an_english_reader_the_source(client, org, course, spanish):
    client.force_login(_reader(org, "en"))
    html = client.get(course.first.url).content.decode()
    assert "Why objections" in html
    assert "Por qué hay objeciones" not in html


def test_it_shows_the_source_with_a_note_when_there_is_no_translation(
    client, org, course, spanish
):
    client.force_login(_reader(org, "es"))
    response = client.get(course.second.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Value." in html
    note = response.context["page"].reading_note
    assert note == (
        "Esta página aún no está traducida al español; se muestra la versión en inglés."
    )
    assert note in html


def test_it_counts_the_spanish_lesson_for_the_source(client, org, course, spanish):
    reader = _reader(org, "es")
    client.force_login(reader)
    response = client.post(reverse("lesson_mark_read", args=[course.first.pk]))
    assert response.status_code == 302
    (completion,) = LessonCompletion.objects.filter(user=reader)
    assert completion.lesson_id == course.first.pk
    assert course_outline(user=reader, course=course).percent == 50


def test_it_refuses_to_count_a_translation_of_its_own(client, org, course, spanish):
    reader = _reader(org, "es")
    client.force_login(reader)
    response = client.post(reverse("lesson_mark_read", args=[spanish.pk]))
    assert response.status_code == 404
    assert not LessonCompletion.objects.filter(user=reader).exists()


def test_it_shows_the_same_progress_in_every_language(client, org, course, spanish):
    from courses.services import lesson_complete

    reader = org.rep_east
    lesson_complete(user=reader, lesson=course.first, how="read")
    client.force_login(reader)
    percents = []
    for language in ("en", "es", "bn"):
        _reader(org, language)
        response = client.get(course.url)
        assert response.status_code == 200
        percents.append(response.context["outline"].percent)
    assert percents == [50, 50, 50]


def test_it_says_when_a_translation_is_older_than_its_source(
    client, org, course, spanish
):
    later = timezone.now() + dt.timedelta(hours=1)
    with time_machine.travel(later, tick=False):
        course.first.body = [("paragraph", "<p>Listen, then ask.</p>")]
        course.first.save_revision().publish()
    client.force_login(_reader(org, "es"))
    response = client.get(course.first.url)
    html = response.content.decode()
    assert "Escucha primero." in html
    assert response.context["page"].reading_note == (
        "La versión en inglés de esta página ha cambiado desde que se tradujo: "
        "puede que esta traducción no esté al día."
    )


def test_it_keeps_a_translation_as_visible_as_its_source(client, org, course, spanish):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    insiders = Group.objects.create(name="Insiders")
    restriction = PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(insiders)
    reader = _reader(org, "es")
    client.force_login(reader)
    refused = client.get(course.first.url)
    assert refused.status_code == 302
    reader.groups.add(insiders)
    allowed = client.get(course.first.url)
    assert allowed.status_code == 200
    assert "Por qué hay objeciones" in allowed.content.decode()


def test_the_admins_translate_action_shows_readers_nothing_until_published(
    client, org, course
):
    """wagtail-localize's "Translate this page" makes a draft: until a translator
    publishes it, a Spanish reader sees the English page with the note."""
    from wagtail.models import Locale
    from wagtail_localize.operations import TranslationCreator

    creator = TranslationCreator(org.admin, [Locale.objects.get(language_code="es")])
    creator.create_translations(course.first)

    translation = course.first.get_translations().get(locale__language_code="es")
    assert not translation.live
    client.force_login(_reader(org, "es"))
    page = client.get(course.first.url).context["page"]
    assert "no está traducida" in page.reading_note


def test_a_live_translation_without_a_publish_date_is_shown(client, org, course):
    """Pages made live in code or by an import may have no publish date."""
    from wagtail.models import Page

    translation = translate_page(course.first, "es", title="Por qué hay objeciones")
    Page.objects.filter(pk=translation.pk).update(last_published_at=None)

    client.force_login(_reader(org, "es"))
    response = client.get(course.first.url)
    assert response.status_code == 200
    assert "Por qué hay objeciones" in response.content.decode()


def test_choosers_offer_source_pages_only(course, spanish):
    """Everything is counted on the source page, so a path, a campaign, a
    certification or a sequence can only name a source page."""
    from django.forms import modelform_factory

    from automation.sequences.models import Sequence
    from certificates.models import CertificationProgram, ProgramRequirement
    from courses.models import PathStep, TrainingCampaign

    translated_course = course.get_translations().get(locale__language_code="es")
    for model, name in [
        (PathStep, "course"),
        (TrainingCampaign, "course"),
        (CertificationProgram, "renewal_course"),
        (ProgramRequirement, "course"),
        (Sequence, "course"),
    ]:
        form = modelform_factory(model, fields=[name])()
        choices = form.fields[name].queryset
        assert choices.filter(pk=course.pk).exists()
        assert not choices.filter(pk=translated_course.pk).exists()


def test_the_library_search_lists_source_courses_only(org, course, spanish):
    from courses.library_links import lessons_and_courses_matching

    assert lessons_and_courses_matching(org.rep_east, "objeciones", 10) == []
    found = lessons_and_courses_matching(org.rep_east, "objection", 10)
    titles = [result.title for result in found]
    assert "Objection handling" in titles  # PostgreSQL's stemming finds the lesson too
    assert "Manejo de objeciones" not in titles


def test_a_link_in_a_lessons_text_leads_to_the_source_address(
    client, org, course, spanish
):
    """Wagtail would link a Spanish reader to the translation's own address, which
    Onramp does not serve: every link leads to the source page's."""
    translation = course.first.get_translations().get(locale__language_code="es")
    translation.slug = "por-que-hay-objeciones"  # a translator may translate it
    translation.save_revision().publish()
    link = f'<p>Next: <a linktype="page" id="{course.first.pk}">why</a>.</p>'
    course.second.body = [("paragraph", link)]
    course.second.save_revision().publish()

    for language in ("es", "en"):
        client.force_login(_reader(org, language))
        html = client.get(course.second.url).content.decode()
        assert f'<a href="{course.first.url}">why</a>' in html
        assert client.get(course.first.url).status_code == 200


def test_the_course_pages_breadcrumb_names_the_index_in_the_readers_language(
    client, org, course, spanish
):
    client.force_login(_reader(org, "es"))
    client.get(course.url)  # the session and caches warmed, as for a reader
    with CaptureQueriesContext(connection) as untranslated_index:
        html = client.get(course.url).content.decode()
    assert '<a href="/courses/">Courses</a></nav>' in html  # only a copy so far

    translate_page(course.get_parent(), "es", title="Cursos")
    client.get(course.url)  # a publish empties the caches
    with CaptureQueriesContext(connection) as translated_index:
        html = client.get(course.url).content.decode()

    assert '<a href="/courses/">Cursos</a></nav>' in html
    assert "<h1>Manejo de objeciones</h1>" in html
    assert len(translated_index) == len(untranslated_index)
    client.force_login(_reader(org, "en"))
    assert '<a href="/courses/">Courses</a></nav>' in client.get(course.url).text


def test_a_newly_published_translation_shows_at_the_next_request(
    client, org, course, spanish
):
    """Which pages are translated is kept in the cache (lms.pages.live_translations):
    a publish shows at once, in the page and in its course's outline."""
    client.force_login(_reader(org, "es"))
    assert "no está traducida" in client.get(course.second.url).text
    translate_page(
        course.second, "es", title="Precio", body=[("paragraph", "<p>Valor.</p>")]
    )

    html = client.get(course.second.url).text
    assert "Valor." in html and "no está traducida" not in html
    assert "Precio →" in client.get(course.first.url).text


def test_a_new_revision_of_a_translation_shows_at_the_next_request(
    client, org, course, spanish
):
    client.force_login(_reader(org, "es"))
    assert "Escucha primero." in client.get(course.first.url).text
    spanish.title = "Por qué objetan"
    spanish.body = [("paragraph", "<p>Pregunta antes.</p>")]
    spanish.save_revision().publish()

    html = client.get(course.first.url).text
    assert "Pregunta antes." in html and "Escucha primero." not in html
    assert "Por qué objetan" in client.get(course.second.url).text


def test_an_unpublished_translation_is_gone_at_the_next_request(
    client, org, course, spanish
):
    client.force_login(_reader(org, "es"))
    assert "Escucha primero." in client.get(course.first.url).text
    spanish.unpublish()

    html = client.get(course.first.url).text
    assert "Listen." in html and "no está traducida" in html


def test_a_new_publish_of_the_source_shows_to_every_reader_at_once(
    client, org, course, spanish
):
    client.force_login(_reader(org, "es"))
    assert "Value." in client.get(course.second.url).text
    course.second.body = [("paragraph", "<p>Value, then price.</p>")]
    course.second.save_revision().publish()

    assert "Value, then price." in client.get(course.second.url).text


def test_it_marks_english_content_in_a_spanish_page_as_english(
    client, org, course, spanish
):
    """Screen readers, fonts and the digits layer take the untranslated text as
    English: the element around it says lang="en"."""
    client.force_login(_reader(org, "es"))
    html = client.get(course.second.url).text
    assert '<article class="panel lesson" lang="en"' in html
    assert 'rel="prev">' in html  # the previous lesson is translated: no mark
    course_page = client.get(course.url).text
    assert "<h1>Manejo de objeciones</h1>" in course_page
    assert f'<a href="{course.second.url}" lang="en">Pricing</a>' in course_page

    translated = client.get(course.first.url).text
    assert '<article class="panel lesson" >' in translated
    assert 'rel="next" lang="en">Pricing →' in translated


def test_it_marks_nothing_for_an_english_reader(client, org, course, spanish):
    client.force_login(_reader(org, "en"))
    html = client.get(course.second.url).text
    assert ' lang="en"' not in html.split("<html", 1)[1].split(">", 1)[1]


def test_the_lesson_pages_breadcrumb_names_the_index_in_the_readers_language(
    client, org, course, spanish
):
    client.force_login(_reader(org, "es"))
    translate_page(course.get_parent(), "es", title="Cursos")

    html = client.get(course.second.url).text
    assert '<a href="/courses/">Cursos</a> ›' in html
    assert "Manejo de objeciones</a>" in html
    client.force_login(_reader(org, "en"))
    assert '<a href="/courses/">Courses</a> ›' in client.get(course.second.url).text


def test_the_course_cards_give_the_translated_summary_under_the_translated_title(
    client, org, course, spanish
):
    index = course.get_parent()
    client.force_login(_reader(org, "es"))

    html = client.get(index.url).text
    assert "Manejo de objeciones</a></h2>" in html
    assert "<p>Sí, y además.</p>" in html and "Say yes, and." not in html
    client.force_login(_reader(org, "en"))
    assert "<p>Say yes, and.</p>" in client.get(index.url).text


def test_an_untranslated_course_card_is_marked_english(client, org, course):
    client.force_login(_reader(org, "es"))
    html = client.get(course.get_parent().url).text
    assert f'<a href="{course.url}" lang="en">Objection handling</a>' in html
    assert '<p lang="en">Say yes, and.</p>' in html
