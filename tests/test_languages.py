"""Languages: who gets which language, and the catalogues' checks.

A signed-in person's preference wins; signed-out visitors get the switcher's choice,
then their browser's; an unknown code falls back to English. E-mails go out in the
recipient's language. The catalogue check refuses untranslated, fuzzy or
markup-adding translations and broken placeholders.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import textwrap
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from lms.lib import catalogues
from lms.notifications.services import notify_once
from tests.templates import with_templates

pytestmark = pytest.mark.django_db


def _login_page(client, **headers) -> str:
    response = client.get(reverse("account_login"), headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def test_it_greets_a_visitor_in_the_browsers_language(client):
    page = _login_page(client, accept_language="es-ES,es;q=0.9,en;q=0.5")

    assert '<html lang="es" dir="ltr">' in page
    assert "<h1>Inicia sesión en " in page
    assert "Saltar al contenido" in page


def test_it_falls_back_to_english_for_a_language_it_does_not_have(client):
    page = _login_page(client, accept_language="xx-YY,zz;q=0.8")

    assert '<html lang="en" dir="ltr">' in page
    assert "<h1>Sign in to " in page


def test_the_switcher_on_signed_out_pages_changes_the_language(client):
    page = _login_page(client)
    assert 'action="/i18n/setlang/"' in page
    assert '<option value="bn" lang="bn">বাংলা</option>' in page

    response = client.post(
        "/i18n/setlang/", {"language": "bn", "next": reverse("account_login")}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert "<h1>" in (page := _login_page(client, accept_language="es"))
    assert '<html lang="bn" dir="ltr">' in page
    assert "সাইন ইন" in page


def test_scripts_get_their_translations_in_the_visitors_language(client):
    response = client.get("/jsi18n/", headers={"accept_language": "es"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "django.gettext = function" in response.text
    assert response["Content-Language"] == "es"


def test_the_switcher_refuses_a_language_it_does_not_have(client):
    client.post("/i18n/setlang/", {"language": "xx", "next": "/accounts/login/"})

    assert '<html lang="en" dir="ltr">' in _login_page(client)


def test_a_persons_preference_wins_over_the_browser(client, org):
    org.rep_east.language = "bn"
    org.rep_east.save(update_fields=["language"])
    client.force_login(org.rep_east)

    page = client.get(reverse("profile"), headers={"accept_language": "es"})

    html = page.content.decode()
    assert '<html lang="bn" dir="ltr">' in html
    assert ">আমার শেখা</a>" in html  # My learning, in the navigation
    assert "সাইন আউট" in html  # Sign out
    assert "language-switcher" not in html  # signed in: the profile decides


def test_without_a_preference_a_person_gets_the_browsers_language(client, org):
    client.force_login(org.rep_east)

    html = client.get(reverse("profile"), headers={"accept_language": "es"})

    assert ">Mi aprendizaje</a>" in html.content.decode()


def test_a_person_chooses_their_language_in_the_profile(client, org):
    client.force_login(org.rep_east)
    form = {
        "full_name": org.rep_east.full_name,
        "language": "es",
        "time_zone": "Europe/Madrid",
        "weekly_digest": "on",
    }

    response = client.post(reverse("profile"), form)

    assert response.status_code == 302
    org.rep_east.refresh_from_db()
    assert org.rep_east.language == "es"
    assert "Nombre, idioma, zona horaria" in client.get(reverse("profile")).text


def test_the_profile_refuses_a_language_it_does_not_have(client, org):
    client.force_login(org.rep_east)

    response = client.post(
        reverse("profile"),
        {"full_name": "Rep", "language": "xx", "time_zone": "UTC"},
    )

    assert response.status_code == 200
    assert "xx is not one of the available choices" in response.text
    org.rep_east.refresh_from_db()
    assert org.rep_east.language == ""


def test_the_chosen_language_costs_no_query(client, org):
    client.force_login(org.rep_east)
    with CaptureQueriesContext(connection) as english:
        client.get(reverse("profile"))

    org.rep_east.language = "bn"
    org.rep_east.save(update_fields=["language"])
    with CaptureQueriesContext(connection) as bengali:
        response = client.get(reverse("profile"))

    assert "সাইন আউট" in response.text
    assert len(bengali) == len(english)


@pytest.fixture
def notice_template(settings):
    with_templates(
        settings,
        {
            "tests/notice.txt": "{{ subject }}",
            "tests/notice.html": '{% extends "notifications/'
            'email_base.html" %}{% block content %}{% endblock %}',
        },
    )


def test_an_email_goes_out_in_the_recipients_language(user_factory, notice_template):
    recipient = user_factory(language="es")
    with translation.override("bn"):  # the sender's language
        notify_once(
            user=recipient,
            kind="test",
            key="language",
            subject=gettext_lazy("Your profile was saved."),
            template="tests/notice",
            context={},
        )

    (message,) = mail.outbox
    assert message.subject == "Se ha guardado tu perfil."
    ((html, _),) = message.alternatives
    assert '<html lang="es">' in html
    assert "Enviado por " in html


# The catalogue check, on catalogues of its own.

PO_HEADER = textwrap.dedent(
    """\
    msgid ""
    msgstr ""
    "Language: es\\n"
    "MIME-Version: 1.0\\n"
    "Content-Type: text/plain; charset=UTF-8\\n"
    "Content-Transfer-Encoding: 8bit\\n"
    "Plural-Forms: nplurals=2; plural=(n != 1);\\n"

    """
)


def _catalogue(tmp_path: Path, body: str) -> Path:
    po = tmp_path / "django.po"
    po.write_text(PO_HEADER + textwrap.dedent(body), encoding="utf-8")
    return po


@pytest.fixture
def in_root(tmp_path, monkeypatch):
    monkeypatch.setattr(catalogues, "ROOT", tmp_path)
    return tmp_path


def test_the_check_accepts_a_complete_catalogue(in_root):
    po = _catalogue(
        in_root,
        """\
        msgid "Sign in to %(organisation_name)s"
        msgstr "Inicia sesión en %(organisation_name)s"

        msgid "Sent by <a href=\\"%(url)s\\">us</a>"
        msgstr "Enviado por <a href=\\"%(url)s\\">nosotros</a>"
        """,
    )

    assert catalogues.completeness_problems(po) == []


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('msgid "Save"\nmsgstr ""\n', "'Save' is not translated"),
        ('#, fuzzy\nmsgid "Save"\nmsgstr "Guardar"\n', "'Save' is fuzzy"),
        (
            'msgid "Sign in to %(name)s"\nmsgstr "Inicia sesión en %(nombre)s"\n',
            "unknown named placeholder 'nombre'",
        ),
        (
            'msgid "Save"\nmsgstr "<script>alert(1)</script>Guardar"\n',
            "'Save' adds markup that the source does not have",
        ),
        (
            'msgid "See <a href=\\"%(url)s\\">it</a>"\n'
            'msgstr "Mira <a href=\\"%(url)s\\" onmouseover=\\"x()\\">esto</a>"\n',
            "adds markup that the source does not have",
        ),
    ],
)
def test_the_check_refuses_a_catalogue_with(in_root, body, problem):
    po = _catalogue(in_root, body)

    problems = catalogues.completeness_problems(po)

    assert any(problem in line for line in problems), problems


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is absent")
def test_msgfmt_refuses_a_broken_format_string(in_root):
    po = _catalogue(
        in_root,
        """\
        #, python-format
        msgid "%(count)s people"
        msgstr "%(count)d personas %"
        """,
    )

    assert catalogues.msgfmt_problems(po)


def test_compiling_makes_the_translations_django_reads(in_root):
    folder = in_root / "app" / "locale" / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = _catalogue(folder, 'msgid "Save"\nmsgstr "Guardar"\n')

    assert catalogues.compile_all(in_root) == 1
    assert po.with_suffix(".mo").read_bytes().count(b"Guardar") == 1
    assert catalogues.compile_all(in_root) == 0  # up to date


PHYSICAL = re.compile(
    r"(margin|padding|border)-(left|right)\b|(?<![-\w])(left|right)\s*:"
    r"|text-align:\s*(left|right)|float:\s*(left|right)"
)


def test_style_sheets_use_logical_properties_so_right_to_left_can_come():
    """Start and end, not left and right, except on a time axis (`.marker` on the
    comment track, which is left to right in every language, like the video's)."""
    sheets = [
        path
        for path in catalogues.ROOT.glob("*/**/static/**/*.css")
        if ".venv" not in path.parts
    ]
    assert sheets
    physical = [
        f"{path.relative_to(catalogues.ROOT)}:{number}: {line.strip()[:60]}"
        for path in sheets
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if PHYSICAL.search(line) and not line.startswith(".marker")
    ]
    assert physical == []


def test_bengali_pages_bring_a_font_that_draws_bengali(client, org):
    """Many systems have no Bengali font: the page preloads the shipped one
    (Noto Sans Bengali, OFL), which the style sheet uses for Bengali characters."""
    from django.contrib.staticfiles import finders

    org.rep_east.language = "bn"
    org.rep_east.save(update_fields=["language"])
    client.force_login(org.rep_east)

    html = client.get(reverse("profile")).text

    fonts = re.findall(r'<link rel="preload" href="([^"]+\.woff2)" as="font"', html)
    assert len(fonts) == 2
    for url in fonts:
        assert finders.find(url.removeprefix("/static/"))
    site_css = Path(finders.find("lms/site.css")).read_text()
    assert 'font-family: "Onramp Bengali", system-ui' in site_css
    assert finders.find("lms/fonts/OFL-noto-sans-bengali.txt")
    client.force_login(org.rep_west)  # English: nothing to preload
    assert 'as="font"' not in client.get(reverse("profile")).text


def test_a_bengali_date_and_time_puts_the_day_first():
    from django.utils import formats

    moment = dt.datetime(2025, 11, 13, 15, 50, tzinfo=dt.UTC)

    with translation.override("bn"):
        short = formats.date_format(moment, "SHORT_DATETIME_FORMAT")
        full = formats.date_format(moment, "DATETIME_FORMAT")

    assert short == "13 নভে., 2025 3:50 অপরাহ্ন"
    assert full == "13 নভেম্বর, 2025 3:50 অপরাহ্ন"
