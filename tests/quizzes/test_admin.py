"""The quiz admin in Wagtail: who may use it, the bank and question listings, the
question form's checks per kind, the import page, the export download and item
analysis pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.quizzes.models import Question, QuestionBank
from courses.quizzes.services import attempt_start, attempt_submit
from tests.factories import UserFactory
from tests.quizzes.questions import every_kind, right_answers

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "files"
IMPORT_URL = "/admin/quizzes/import/"


def admin_only_user() -> Any:
    """Someone who may enter the Wagtail admin but not author quizzes."""
    user = UserFactory()
    user.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    return user


@pytest.fixture
def bank() -> QuestionBank:
    bank = QuestionBank.objects.create(name="Discovery basics")
    every_kind(bank, tags=["discovery"])
    return bank


def urls(bank: QuestionBank, quiz_id: int) -> list[str]:
    return [
        IMPORT_URL,
        reverse("quizzes_bank_export", args=[bank.pk]),
        reverse("quizzes_item_analysis_index"),
        reverse("quizzes_item_analysis", args=[quiz_id]),
    ]


def test_it_names_the_analysis_url_as_agreed(quiz_kit: Any) -> None:
    assert (
        reverse("quizzes_item_analysis", args=[quiz_kit.quiz.pk])
        == f"/admin/quizzes/analysis/{quiz_kit.quiz.pk}/"
    )


def test_it_sends_anonymous_people_to_sign_in(client: Any, quiz_kit: Any) -> None:
    for url in urls(quiz_kit.bank, quiz_kit.quiz.pk):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


@pytest.mark.parametrize("person", ["rep_east", "east_manager", "east_coach"])
def test_it_keeps_people_without_admin_access_out(
    client: Any, org: Any, quiz_kit: Any, person: str
) -> None:
    client.force_login(org[person])
    for url in urls(quiz_kit.bank, quiz_kit.quiz.pk):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login/" in response["Location"]
    assert not QuestionBank.objects.exclude(pk=quiz_kit.bank.pk).exists()


def test_it_refuses_admin_users_who_may_not_author_quizzes(
    client: Any, quiz_kit: Any
) -> None:
    # Wagtail answers a refused permission with a redirect to the admin home page
    # and a message.
    client.force_login(admin_only_user())
    for url in urls(quiz_kit.bank, quiz_kit.quiz.pk):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/"), url
    upload = SimpleUploadedFile("q.gift", (FILES / "all_kinds.gift").read_bytes())
    response = client.post(
        IMPORT_URL, {"file": upload, "format": "gift", "new_bank_name": "Sneaky"}
    )
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert not QuestionBank.objects.filter(name="Sneaky").exists()


@pytest.mark.parametrize("who", ["enablement admin", "superuser"])
def test_it_lets_authors_use_every_page(
    client: Any, org: Any, quiz_kit: Any, who: str
) -> None:
    user = org.admin if who == "enablement admin" else UserFactory(is_superuser=True)
    client.force_login(user)
    for url in urls(quiz_kit.bank, quiz_kit.quiz.pk):
        assert client.get(url).status_code == 200, url


def test_it_puts_banks_questions_import_and_analysis_in_a_quizzes_menu(
    client: Any, org: Any
) -> None:
    client.force_login(org.admin)
    html = client.get("/admin/").content.decode()
    for label in ("Quizzes", "Question banks", "Questions", "Import questions"):
        assert label in html
    assert "Item analysis" in html
    client.force_login(admin_only_user())
    html = client.get("/admin/").content.decode()
    assert "Import questions" not in html and "Item analysis" not in html


def test_it_lists_banks_with_counts_import_and_export(
    client: Any, org: Any, bank: QuestionBank
) -> None:
    client.force_login(org.admin)
    response = client.get(reverse("wagtailsnippets_quizzes_questionbank:list"))
    html = response.content.decode()
    assert "Discovery basics" in html
    assert reverse("quizzes_bank_export", args=[bank.pk]) in html
    assert "Export to Moodle XML" in html
    assert IMPORT_URL in html
    edit = client.get(
        reverse("wagtailsnippets_quizzes_questionbank:edit", args=[bank.pk])
    )
    assert reverse("quizzes_bank_export", args=[bank.pk]) in edit.content.decode()


def test_it_filters_and_searches_the_question_listing(
    client: Any, org: Any, bank: QuestionBank
) -> None:
    other = QuestionBank.objects.create(name="Pricing")
    every_kind(other, tags=["pricing"])
    Question.objects.filter(bank=other, kind="numeric").update(name="Margin maths")
    client.force_login(org.admin)
    listing = reverse("wagtailsnippets_quizzes_question:list")

    def names(**params: Any) -> set[str]:
        response = client.get(listing, params)
        assert response.status_code == 200
        return {q.name for q in response.context["object_list"]}

    everything = client.get(listing)
    assert len(everything.context["object_list"]) == 14
    assert names(kind="numeric") == {"Talk ratio", "Margin maths"}
    assert names(bank=other.pk, kind="numeric") == {"Margin maths"}
    tag = other.questions.first().tags.get()  # type: ignore[union-attr]
    assert len(names(tag=tag.pk)) == 7 and "Margin maths" in names(tag=tag.pk)
    assert names(q="margin") == {"Margin maths"}


def question_post(bank: QuestionBank, kind: str, options: list[dict[str, str]]) -> dict:  # type: ignore[type-arg]
    data = {
        "bank": bank.pk,
        "kind": kind,
        "name": f"New {kind}",
        "text": "A question?",
        "points": "1",
        "explanation": "",
        "partial_credit": "on",
        "shuffle_options": "on",
        "tags": "",
        "options-TOTAL_FORMS": str(len(options)),
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
    }
    for index, option in enumerate(options):
        values = {"match_text": "", "fraction": "0", "tolerance": "0", "feedback": ""}
        values.update(option)
        for key, value in values.items():
            data[f"options-{index}-{key}"] = value
        data[f"options-{index}-ORDER"] = str(index + 1)
        data[f"options-{index}-DELETE"] = ""
        data[f"options-{index}-id"] = ""
    return data


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        (
            "single",
            [{"text": "A", "fraction": "0.5"}, {"text": "B"}],
            "One answer must be worth 100%",
        ),
        ("single", [{"text": "Only", "fraction": "1"}], "at least two options"),
        (
            "multiple",
            [{"text": "A", "fraction": "0.5"}, {"text": "B", "fraction": "0.2"}],
            "must add up to 100% (they add up to 70%)",
        ),
        (
            "truefalse",
            [{"text": "Yes", "fraction": "1"}, {"text": "No"}],
            "exactly two answers, &quot;True&quot; and &quot;False&quot;",
        ),
        ("numeric", [{"text": "about ten", "fraction": "1"}], "is not a number"),
        (
            "matching",
            [{"text": "A", "match_text": "1"}, {"text": "B", "match_text": ""}],
            "at least two pairs",
        ),
        ("ordering", [{"text": "Alone"}], "at least two items"),
        ("short", [{"text": "yes", "fraction": "-0.5"}], "worth 100%"),
    ],
)
def test_it_refuses_questions_whose_answers_do_not_fit_the_kind(
    client: Any,
    org: Any,
    bank: QuestionBank,
    kind: str,
    options: list[dict[str, str]],
    message: str,
) -> None:
    client.force_login(org.admin)
    before = Question.objects.count()
    response = client.post(
        reverse("wagtailsnippets_quizzes_question:add"),
        question_post(bank, kind, options),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Question.objects.count() == before


def test_it_saves_a_valid_question_with_numbers_written_plainly(
    client: Any, org: Any, bank: QuestionBank
) -> None:
    client.force_login(org.admin)
    response = client.post(
        reverse("wagtailsnippets_quizzes_question:add"),
        question_post(
            bank,
            "numeric",
            [{"text": "3,50", "fraction": "1", "tolerance": "0.1"}],
        ),
    )
    assert response.status_code == 302
    question = Question.objects.get(name="New numeric")
    assert [o.text for o in question.options.all()] == ["3.5"]


def test_it_imports_an_uploaded_file_and_shows_the_report(
    client: Any, org: Any
) -> None:
    client.force_login(org.admin)
    upload = SimpleUploadedFile("q.gift", (FILES / "unknown_types.gift").read_bytes())
    response = client.post(
        IMPORT_URL, {"file": upload, "format": "gift", "new_bank_name": "Uploaded"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Import report" in html
    assert "(a new bank)" in html
    assert "<td>Single choice</td>" in html
    assert "Essay questions (an empty answer block {}) are not supported." in html
    assert "line 7" in html and "GIFT has no ordering questions" in html
    bank = QuestionBank.objects.get(name="Uploaded")
    assert [q.name for q in bank.questions.all()] == ["Good"]


def test_it_imports_into_a_chosen_bank(
    client: Any, org: Any, bank: QuestionBank
) -> None:
    client.force_login(org.admin)
    upload = SimpleUploadedFile("q.xml", (FILES / "all_kinds.xml").read_bytes())
    response = client.post(
        IMPORT_URL, {"file": upload, "format": "moodlexml", "bank": bank.pk}
    )
    assert response.status_code == 200
    assert bank.questions.count() == 7 + 8


@pytest.mark.parametrize(
    ("name", "format", "fields", "message"),
    [
        ("broken_syntax.gift", "gift", {"new_bank_name": "X"}, "is not closed"),
        ("latin1_undeclared.xml", "moodlexml", {"new_bank_name": "X"}, "not UTF-8"),
        ("all_kinds.gift", "gift", {}, "Choose a bank, or name a new one."),
    ],
)
def test_it_refuses_bad_uploads_and_imports_nothing(
    client: Any,
    org: Any,
    name: str,
    format: str,
    fields: dict,
    message: str,  # type: ignore[type-arg]
) -> None:
    client.force_login(org.admin)
    upload = SimpleUploadedFile(name, (FILES / name).read_bytes())
    response = client.post(IMPORT_URL, {"file": upload, "format": format, **fields})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not QuestionBank.objects.exists()


def test_it_downloads_a_bank_as_moodle_xml(
    client: Any, org: Any, bank: QuestionBank
) -> None:
    client.force_login(org.admin)
    response = client.get(reverse("quizzes_bank_export", args=[bank.pk]))
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert (
        response["Content-Disposition"] == 'attachment; filename="discovery-basics.xml"'
    )
    assert response.content.decode().count("<question ") == 7
    assert client.get(reverse("quizzes_bank_export", args=[999999])).status_code == 404


def test_it_shows_item_analysis_with_flags_in_words(
    client: Any, org: Any, quiz_kit: Any
) -> None:
    for person in ("rep_east", "rep_east2", "rep_west", "rep_north", "loner"):
        attempt = attempt_start(user=org[person], quiz=quiz_kit.quiz)
        attempt_submit(
            attempt=attempt, user=org[person], responses=right_answers(attempt)
        )
    client.force_login(org.admin)
    response = client.get(reverse("quizzes_item_analysis", args=[quiz_kit.quiz.pk]))
    html = response.content.decode()
    assert html.count("⚑ Everyone right") == 7
    assert "Discrimination: Needs at least 10 graded attempts (has 5)." in html
    assert html.count("Needs at least 10 graded attempts") == 1
    assert "7 questions flagged" in html
    index = client.get(reverse("quizzes_item_analysis_index")).content.decode()
    assert "Discovery calls quiz" in index
    assert reverse("quizzes_item_analysis", args=[quiz_kit.quiz.pk]) in index
    missing = client.get(reverse("quizzes_item_analysis", args=[999999]))
    assert missing.status_code == 404


def test_it_links_item_analysis_from_the_quiz_page_in_the_admin(
    client: Any, org: Any, quiz_kit: Any
) -> None:
    client.force_login(org.admin)
    analysis_url = reverse("quizzes_item_analysis", args=[quiz_kit.quiz.pk])
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[quiz_kit.quiz.pk]))
    assert analysis_url in edit.content.decode()
    explore = client.get(
        reverse("wagtailadmin_explore", args=[quiz_kit.quiz.get_parent().pk])
    )
    assert analysis_url in explore.content.decode()
    course_edit = client.get(
        reverse("wagtailadmin_pages:edit", args=[quiz_kit.course.pk])
    )
    course_analysis_url = reverse("quizzes_item_analysis", args=[quiz_kit.course.pk])
    assert course_analysis_url not in course_edit.content.decode()


def test_it_reads_item_analysis_in_the_same_queries_for_more_attempts(
    client: Any, org: Any, quiz_kit: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("quizzes_item_analysis", args=[quiz_kit.quiz.pk])
    client.force_login(org.admin)
    client.get(url)  # fills the admin's cached roles: both measured visits find them
    counts = []
    for people in (("rep_east", "rep_west"), ("rep_east2", "rep_north", "loner")):
        for person in people:
            attempt = attempt_start(user=org[person], quiz=quiz_kit.quiz)
            attempt_submit(attempt=attempt, user=org[person], responses={})
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
