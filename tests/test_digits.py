"""Numbers in the reader's digits (issue 19, item 3): Bengali pages, e-mails and
certificates write ২০২৬ where English writes 2026; attributes, form fields, scripts,
codes and Latin words keep their Western digits, and no language adds a query."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import connection
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from courses.models import Assignment, LessonCompletion
from courses.services import assignment_create, lesson_complete
from lms.lib.digits import (
    digits_as_written,
    language_digits,
    localize_digits,
    localize_digits_for,
    localize_digits_in_html,
)
from lms.middleware import LocalDigitsMiddleware
from lms.notifications.services import notify_once
from tests.factories import CoursePageFactory, LessonPageFactory, make_path
from tests.templates import with_templates

BENGALI = "০১২৩৪৫৬৭৮৯"
WESTERN_TO_BENGALI = str.maketrans("0123456789", BENGALI)


def _bn(html: str) -> str:
    return localize_digits_in_html(html, BENGALI)


def test_the_digits_of_a_language_come_from_cldr():
    assert language_digits("bn") == BENGALI
    assert language_digits("bn-bd") == BENGALI
    assert language_digits("fa") == "۰۱۲۳۴۵۶۷۸۹"  # not shipped: CLDR knows it
    assert language_digits("mr") == "०१२३४५६७८९"
    for western in ("en", "es", "pt-br", "hi", "xx", "", None):
        assert language_digits(western) is None


def test_it_converts_the_text_and_keeps_the_attributes():
    html = '<a href="/people/12/" data-count="3" id="row-4" title="5">12 of 40</a>'

    assert _bn(html) == (
        '<a href="/people/12/" data-count="3" id="row-4" title="5">১২ of 40</a>'
    )


def test_it_converts_dates_times_percentages_and_amounts():
    assert _bn("<p>2 মার্চ, 2026 · 10:30 · 87,5 % · ৳1,200.50 · 3টি</p>") == (
        "<p>২ মার্চ, ২০২৬ · ১০:৩০ · ৮৭,৫ % · ৳১,২০০.৫০ · ৩টি</p>"
    )


def test_it_keeps_scripts_styles_form_fields_and_code():
    html = (
        '<script type="application/json">{"a": 1}</script>'
        "<script>if (a<2) { x = '</b>3'; }</script>"
        "<style>.a { width: 12px }</style>"
        '<input type="number" value="42"><textarea name="t">7 words</textarea>'
        '<select><option value="2026-03">মার্চ 2026</option></select>'
        "<pre>1 <b>2</b></pre><code>3</code><!-- 4 --><p>5</p>"
    )

    assert _bn(html) == (
        '<script type="application/json">{"a": 1}</script>'
        "<script>if (a<2) { x = '</b>3'; }</script>"
        "<style>.a { width: 12px }</style>"
        '<input type="number" value="42"><textarea name="t">7 words</textarea>'
        '<select><option value="2026-03">মার্চ ২০২৬</option></select>'
        "<pre>1 <b>2</b></pre><code>3</code><!-- 4 --><p>৫</p>"
    )


def test_it_keeps_codes_and_latin_words():
    text = "G2 · ISO 8601 · SCORM 2004 · v1.2 · rae2@example.com · NW-2026-000042"
    url = "https://onramp.example/verify/7K2Q9/"

    assert _bn(f"<p>{text} · {url}</p>") == f"<p>{text} · {url}</p>"
    assert localize_digits(f"{text} {url} 3", BENGALI) == f"{text} {url} ৩"


def test_it_keeps_marked_elements_with_all_they_contain():
    html = (
        '<span data-digits="latin">A-1 <span>22</span> 33</span> 44 '
        '<b translate="no">55</b> <div lang="en"><p>Step 6</p>7</div>'
        '<div lang="bn">8</div><br translate="no">9'
    )

    assert _bn(html) == (
        '<span data-digits="latin">A-1 <span>22</span> 33</span> ৪৪ '
        '<b translate="no">55</b> <div lang="en"><p>Step 6</p>7</div>'
        '<div lang="bn">৮</div><br translate="no">৯'
    )


def test_it_leaves_character_references_as_written():
    assert _bn("<p>&#123; &#x31; 10&nbsp;000 &amp; 5</p>") == (
        "<p>&#123; &#x31; ১০&nbsp;০০০ &amp; ৫</p>"
    )


def test_it_converts_chart_labels_but_not_their_geometry():
    svg = (
        '<svg viewBox="0 0 10 10"><text x="4" y="8">75%</text><style>a{}</style></svg>'
    )

    assert _bn(svg) == (
        '<svg viewBox="0 0 10 10"><text x="4" y="8">৭৫%</text><style>a{}</style></svg>'
    )


def test_a_language_with_western_digits_changes_nothing():
    html = "<p>12 of 40</p>"
    assert localize_digits_for("es", text=html, html=True) is html
    assert localize_digits_for("en", text="3 days") == "3 days"


def _through_middleware(response, language):
    with translation.override(language):
        return LocalDigitsMiddleware(lambda request: response)(
            RequestFactory().get("/")
        )


def test_the_middleware_converts_html_pages_only():
    page = _through_middleware(
        HttpResponse("<p>12</p>", headers={"Content-Length": "9"}), "bn"
    )
    json = _through_middleware(JsonResponse({"n": "12"}), "bn")
    csv = HttpResponse("<p>12</p>", content_type="text/csv")
    download = HttpResponse("<p>12</p>", headers={"Content-Disposition": "attachment"})
    streamed = StreamingHttpResponse(iter([b"<p>12</p>"]), content_type="text/html")
    foreign = HttpResponse("<p>12 \xe9</p>".encode("latin-1"))

    assert page.content.decode() == "<p>১২</p>"
    assert page["Content-Length"] == str(len("<p>১২</p>".encode()))
    assert json.content == b'{"n": "12"}'
    assert _through_middleware(csv, "bn").content == b"<p>12</p>"
    assert _through_middleware(download, "bn").content == b"<p>12</p>"
    assert b"".join(_through_middleware(streamed, "bn").streaming_content) == (
        b"<p>12</p>"
    )
    assert _through_middleware(foreign, "bn").content == "<p>12 \xe9</p>".encode(
        "latin-1"
    )
    assert _through_middleware(HttpResponse("<p>12</p>"), "es").content == (
        b"<p>12</p>"
    )


def test_a_view_marked_as_written_keeps_its_digits():
    view = digits_as_written(lambda request: HttpResponse("<p>12</p>"))

    response = _through_middleware(view(None), "bn")

    assert response.content == b"<p>12</p>"


def _learning(rep):
    courses = [CoursePageFactory(title=f"Course {n}", summary="S.") for n in range(2)]
    lessons = [[LessonPageFactory(parent=c) for _ in range(2)] for c in courses]
    path = make_path("First 30 days", (courses[0], 7), (courses[1], 14))
    assignment_create(user=rep, path=path, reason=Assignment.Reason.ONBOARDING)
    lesson_complete(user=rep, lesson=lessons[0][0], how=LessonCompletion.How.READ)
    return lessons


def _speaking(user, language):
    user.language = language
    user.save(update_fields=["language"])
    return user


def test_my_learning_in_bengali_has_bengali_digits_in_its_text(client, org):
    _learning(org.rep_east)
    client.force_login(_speaking(org.rep_east, "bn"))

    page = client.get(reverse("my_learning")).text

    bars = re.findall(
        r'<progress max="100" value="([0-9]+)"[^>]*>([^<]*)</progress>', page
    )
    assert bars  # the value is an attribute: Western; the text is read: Bengali
    for value, text in bars:
        assert text == f"{value.translate(WESTERN_TO_BENGALI)}%"
    assert "0" < max(value for value, _ in bars)
    assert 'content="width=device-width, initial-scale=1"' in page


def test_my_team_in_bengali_keeps_form_values_western(client, org):
    _learning(org.rep_east)
    client.force_login(_speaking(org.east_manager, "bn"))

    page = client.get(reverse("team_overview")).text

    started = org.rep_east.start_date
    year = str(started.year)
    assert f'<option value="{started:%Y-%m}"' in page  # the filter's value
    assert f"{year.translate(WESTERN_TO_BENGALI)}</option>" in page  # its label
    assert f"{year}</option>" not in page
    assert re.search(r'<progress max="100" value="[0-9]+"', page)
    assert re.search(f"</progress> [{BENGALI}]+%</td>", page)
    assert not re.search(r"</progress> [0-9]+%</td>", page)


def test_english_pages_are_not_touched(client, org):
    _learning(org.rep_east)
    client.force_login(org.rep_east)

    page = client.get(reverse("my_learning")).text

    assert re.search(r'value="([0-9]+)"[^>]*>\1%</progress>', page)
    assert not re.search(f"[{BENGALI}]", page)


def test_bengali_costs_no_query_where_nothing_is_translated(client, org):
    """Neither the language nor the look-up of the lesson's translation and its
    outline's translated titles costs a query: which pages are translated is kept
    in the cache (lms.pages.live_translations)."""
    lessons = _learning(org.rep_east)
    client.force_login(org.rep_east)
    pages = [lessons[0][1].url, reverse("my_learning")]
    for url in pages:  # warm the per-person cache, as any visit would
        client.get(url)
    english = []
    for url in pages:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        english.append(len(queries))

    _speaking(org.rep_east, "bn")
    for url in pages:
        client.get(url)
    bengali = []
    for url in pages:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert '<html lang="bn"' in response.text
        bengali.append(len(queries))

    assert bengali == english


@pytest.fixture
def notice_templates(settings):
    with_templates(
        settings,
        {
            "tests/count.txt": "{{ count }} open, see {{ url }}",
            "tests/count.html": '{% extends "notifications/'
            'email_base.html" %}{% block content %}<p><a href="'
            '{{ url }}">{{ count }} open</a></p>{% endblock %}',
        },
    )


def test_an_email_in_bengali_writes_its_numbers_in_bengali_digits(
    db, user_factory, notice_templates
):
    recipient = user_factory(language="bn")
    url = "https://onramp.example/learning/12/"

    notify_once(
        user=recipient,
        kind="test",
        key="1",
        subject="Training: 3 open",
        template="tests/count",
        context={"count": 3, "url": url},
    )

    (message,) = mail.outbox
    assert message.subject == "Training: ৩ open"
    assert message.body == f"৩ open, see {url}"
    html = message.alternatives[0][0]
    assert f'<a href="{url}">৩ open</a>' in html
    assert "List-Unsubscribe" in message.extra_headers
    assert not re.search(f"[{BENGALI}]", message.extra_headers["List-Unsubscribe"])


def test_an_english_email_keeps_western_digits(db, user_factory, notice_templates):
    recipient = user_factory(language="en")

    notify_once(
        user=recipient,
        kind="test",
        key="1",
        subject="Training: 3 open",
        template="tests/count",
        context={"count": 3, "url": "https://onramp.example/"},
    )

    (message,) = mail.outbox
    assert message.subject == "Training: 3 open"
    assert message.body.startswith("3 open")


def test_a_page_in_another_encoding_than_utf8_is_left_as_written(rf):
    from django.http import HttpResponse
    from django.utils import translation

    from lms.middleware import LocalDigitsMiddleware

    page = "<p>Año 2026</p>".encode("iso-8859-1")
    middleware = LocalDigitsMiddleware(
        lambda request: HttpResponse(page, content_type="text/html; charset=iso-8859-1")
    )
    with translation.override("bn"):
        response = middleware(rf.get("/"))

    assert response.content == page
