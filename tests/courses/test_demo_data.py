"""The demo's course files: every one loads, and a broken file is refused with its
name and the reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from courses.demo import (
    DATA_DIR,
    DemoDataError,
    load_catalogue,
    load_course,
    load_onboarding_story,
    onboarding_plan,
)


def test_it_loads_the_catalogue_with_the_path_courses_first():
    catalogue = load_catalogue()
    assert catalogue.path_title == "First 30 days"
    assert [course.title for course in catalogue.onboarding] == [
        "Northwind and its product",
        "Ideal customer profile and personas",
        "Discovery calls",
        "Demo skills",
        "Objection handling",
        "CRM hygiene",
    ]
    assert list(catalogue.courses)[:6] == [step.course for step in catalogue.steps]
    assert [step.due_days for step in catalogue.steps] == [3, 7, 12, 18, 24, 30]
    for course in catalogue.courses.values():
        assert course.lessons, course.key
        for lesson in course.lessons:
            kinds = {kind for kind, _ in lesson.body}
            assert kinds <= {"heading", "paragraph", "callout", "video"}
            assert "paragraph" in kinds, lesson.title


def test_it_joins_the_lines_of_a_paragraph_as_written():
    demo_skills = load_catalogue().courses["demo-skills"]
    first = demo_skills.lessons[0]
    assert ("video", "Demo skills: the first five minutes") in first.body
    paragraph = next(value for kind, value in first.body if kind == "paragraph")
    assert "\n" not in paragraph
    assert paragraph.startswith("<p>") and paragraph.endswith(">")


def test_it_reads_callouts_as_tips_and_warnings():
    blocks = [
        value
        for course in load_catalogue().courses.values()
        for lesson in course.lessons
        for kind, value in lesson.body
        if kind == "callout"
    ]
    assert {block["kind"] for block in blocks} == {"tip", "warning"}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('title = "T"\nsummary = "S"\nestimated_minutes = 5\n', "lessons"),
        (
            'title = "T"\nsummary = "S"\nestimated_minutes = 5\n'
            '[[lessons]]\ntitle = "L"\n[[lessons.body]]\nquote = "Q"\n',
            "unknown block 'quote'",
        ),
        (
            'title = "T"\nsummary = "S"\nestimated_minutes = 5\n'
            '[[lessons]]\ntitle = "L"\n[[lessons.body]]\nheading = "H"\ntip = "T"\n',
            "a block has one key",
        ),
        ('title = "T\n', "broken.toml"),
    ],
)
def test_it_refuses_a_broken_course_file_naming_it(tmp_path: Path, text, reason):
    path = tmp_path / "broken.toml"
    path.write_text(text)
    with pytest.raises(DemoDataError, match="broken.toml") as refused:
        load_course(path)
    assert reason in str(refused.value)


def test_it_refuses_a_catalogue_naming_a_course_without_a_file(tmp_path: Path):
    (tmp_path / "courses").mkdir()
    text = (DATA_DIR / "catalogue.toml").read_text()
    (tmp_path / "catalogue.toml").write_text(text)
    with pytest.raises(DemoDataError, match="no file: crm-hygiene"):
        load_catalogue(tmp_path)


def test_it_names_the_product_update_after_the_month_it_is_seeded_in():
    courses = load_catalogue(today=dt.date(2028, 2, 29)).courses
    assert courses["product-update"].title == "Product update: February 2028"
    assert courses["product-update"].tags == ["product-update"]
    assert courses["data-privacy-refresher"].title == "Data privacy refresher"


@pytest.mark.parametrize(
    ("days", "entry", "finished"),
    [
        (0, {}, []),
        (3, {}, [2]),  # the first course, the day before it is due
        (10, {}, [2, 6]),  # Maya: two courses, the third due on day 12
        (45, {}, [2, 6, 11, 17, 23, 29]),
        (45, {"courses_done": 4, "days_late": 2}, [4, 8, 13, 19]),  # Luis
        (33, {"days_late": 5}, [7, 11, 16, 22, 28]),  # Fatima: CRM hygiene overdue
        (310, {"days_late": 9}, [11, 15, 20, 26, 32, 38]),  # Ana: finished late
    ],
)
def test_it_plans_each_course_the_day_before_it_is_due_unless_told(
    days, entry, finished
):
    plan = onboarding_plan(
        days_since_start=days, steps=load_catalogue().steps, entry=entry
    )
    assert plan.finished_on_days == finished


def test_it_names_only_reps_with_known_settings_in_the_story(tmp_path: Path):
    story = load_onboarding_story()
    assert story["Luis Ortega"] == {"courses_done": 4, "days_late": 2}
    (tmp_path / "onboarding.toml").write_text('[people."Ana"]\nlate = 3\n')
    with pytest.raises(DemoDataError, match="onboarding.toml: Ana: unknown"):
        load_onboarding_story(tmp_path)
