"""A rep takes a quiz in the browser: fails, waits, tries again, passes, and sees the
course progress move."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from courses.models import CoursePage
from courses.quizzes.models import Question, QuestionBank, QuizPage, QuizSlot
from tests.factories import CoursePageFactory, LessonPageFactory

ORDER = ["Acknowledge", "Clarify", "Respond", "Confirm"]
PAIRS = {
    "“We already have a BI tool.”": "Ask how they use it for forecasts",
    "“Now isn't a good time.”": "Ask what waiting would cost them",
}


def _question(bank, kind, name, text, options, **fields):  # type: ignore[no-untyped-def]
    from courses.quizzes.models import QuestionOption

    question = Question(bank=bank, kind=kind, name=name, text=text, **fields)
    for order, option in enumerate(options):
        question.options.add(QuestionOption(sort_order=order, **option))
    question.save()
    return question


def _course_with_a_quiz() -> tuple[CoursePage, QuizPage]:
    course = CoursePageFactory(
        title="Objection handling", summary="Answer, don't argue."
    )
    LessonPageFactory(
        parent=course,
        title="A framework for any objection",
        body=[("paragraph", "<p>Acknowledge, clarify, respond, confirm.</p>")],
    )
    bank = QuestionBank.objects.create(name="Northwind onboarding")
    questions = [
        _question(
            bank,
            "single",
            "First answer to the CFO",
            "The CFO says the price is more than expected. What do you do first?",
            [
                {
                    "text": "Acknowledge and ask what they compare it with",
                    "fraction": 1,
                },
                {
                    "text": "Offer 10 percent off",
                    "feedback": "A discount given too early tells the buyer the "
                    "price was never real.",
                },
            ],
            shuffle_options=False,
        ),
        _question(
            bank,
            "truefalse",
            "Discounts first",
            "A discount is the best first answer to a pricing objection.",
            [{"text": "True"}, {"text": "False", "fraction": 1}],
            shuffle_options=False,
        ),
        _question(
            bank,
            "ordering",
            "Four steps",
            "Put the four steps in order.",
            [{"text": text} for text in ORDER],
        ),
        _question(
            bank,
            "matching",
            "Common objections",
            "Match each objection with the first move that answers it.",
            [{"text": left, "match_text": right} for left, right in PAIRS.items()],
        ),
    ]
    quiz = QuizPage(
        title="Objection handling quiz",
        body=[("paragraph", "<p>Four questions.</p>")],
        pass_mark_percent=80,
        max_attempts=3,
        wait_minutes=10,
    )
    for order, question in enumerate(questions):
        quiz.slots.add(QuizSlot(question=question, sort_order=order))
    course.add_child(instance=quiz)
    return course, quiz


def _put_in_order(page: Page) -> None:
    """Move each item up with its Up button (keyboard) until the list reads ORDER."""
    items = page.locator("ol.ordering li .ordering-text")
    for target, text in enumerate(ORDER):
        up = page.get_by_role("button", name=f"Move “{text}” up")
        while items.all_inner_texts().index(text) > target:
            up.focus()
            page.keyboard.press("Enter")
    expect(items).to_have_text(ORDER)


def test_it_takes_a_rep_through_fail_wait_retry_and_pass(page: Page, sign_in):
    course, quiz = _course_with_a_quiz()
    sign_in("maya@northwind.example")
    page.goto(course.url)
    progress = page.get_by_role("progressbar", name="Progress in Objection handling")
    expect(progress).to_have_attribute("value", "0")
    page.get_by_role("link", name="Start").click()
    page.get_by_role("button", name="Mark as complete and continue").click()
    expect(page.get_by_role("heading", name="Objection handling quiz")).to_be_visible()
    expect(page.get_by_text("80% of the points")).to_be_visible()

    # First attempt: one wrong answer, saved as she goes; a reload loses nothing.
    page.get_by_role("button", name="Start the quiz").click()
    page.get_by_label("Offer 10 percent off").check()
    expect(page.get_by_role("status").filter(has_text="Saved at")).to_contain_text(
        "1 of 4 answered"
    )
    page.reload()
    expect(page.get_by_label("Offer 10 percent off")).to_be_checked()
    page.get_by_role("button", name="Review and submit").click()
    expect(page.get_by_text("You have not answered 3 of 4 questions")).to_be_visible()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_text("Not passed")).to_be_visible()
    expect(page.get_by_text("A discount given too early")).to_be_visible()
    expect(page.get_by_text("You can try again from")).to_be_visible()
    expect(page.get_by_role("button", name="Try again")).to_have_count(0)

    # The waiting time passes (the live server runs in this process).
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11), tick=True):
        page.reload()
        page.get_by_role("button", name="Try again").click()
        expect(page.get_by_text("attempt 2")).to_be_visible()
        page.get_by_label("Acknowledge and ask what they compare it with").check()
        page.get_by_label("False").check()
        _put_in_order(page)
        for left, right in PAIRS.items():
            page.get_by_label(left).select_option(label=right)
        page.get_by_role("button", name="Review and submit").click()
        expect(page.get_by_text("You have answered all 4 questions.")).to_be_visible()
        page.get_by_role("button", name="Submit my answers").click()

        expect(page.get_by_text("Passed", exact=True)).to_be_visible()
        expect(page.get_by_text("100%", exact=True)).to_be_visible()
        expect(
            page.get_by_text("You have completed “Objection handling”.")
        ).to_be_visible()
        page.get_by_role("link", name="Back to the course").click()
        expect(progress).to_have_attribute("value", "100")
        expect(page.get_by_text("✓")).to_have_count(2)
        page.get_by_role("link", name="Objection handling quiz").click()
        expect(page.get_by_text("You passed this quiz")).to_be_visible()
        expect(page.get_by_role("table")).to_contain_text("Passed")
    assert re.search(r"/objection-handling-quiz/$", page.url)


def test_it_hands_the_answers_in_when_the_countdown_reaches_zero(page: Page, sign_in):
    from courses.quizzes.models import QuizAttempt

    course, quiz = _course_with_a_quiz()
    quiz.time_limit_minutes = 1
    quiz.save()
    sign_in("maya@northwind.example")
    page.goto(quiz.url)
    expect(page.get_by_text("1 minute from the moment you start")).to_be_visible()
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.get_by_role("timer")).to_have_text(re.compile(r"^(1:00|0:5\d)$"))
    page.get_by_label("Acknowledge and ask what they compare it with").check()
    expect(page.get_by_role("status").filter(has_text="Saved at")).to_be_visible()

    # Most of the minute passes on the server's clock; the page counts down the
    # few seconds left it is given, then submits what is on it.
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=57), tick=True):
        page.reload()
        expect(
            page.get_by_label("Acknowledge and ask what they compare it with")
        ).to_be_checked()
        page.get_by_label("False").check()
        expect(
            page.get_by_role("heading", name=re.compile("attempt 1"))
        ).to_be_visible()
        expect(page).to_have_url(re.compile(r"/result/$"))
        attempt = QuizAttempt.objects.get(quiz=quiz)
        assert attempt.state == "submitted"
        responses = [item.response for item in attempt.questions.order_by("position")]
        assert responses[0] is not None and responses[1] is not None
        expect(page.get_by_text("Not passed")).to_be_visible()


def test_a_bengali_page_counts_down_and_saves_in_bengali_digits(page: Page, sign_in):
    from lms.accounts.models import User

    _course, quiz = _course_with_a_quiz()
    quiz.time_limit_minutes = 1
    quiz.save()
    User.objects.filter(email="maya@northwind.example").update(language="bn")
    sign_in("maya@northwind.example")
    page.goto(quiz.url)
    page.get_by_role("button", name="কুইজ শুরু করুন").click()

    # The countdown (site.js's formatDuration) and the autosave status (attempt.js:
    # the time and "1 of 4") are written by scripts, in the page's digits.
    expect(page.get_by_role("timer")).to_have_text(re.compile(r"^(১:০০|০:৫[০-৯])$"))
    page.get_by_label("Acknowledge and ask what they compare it with").check()
    status = page.get_by_role("status").filter(has_text="৪")
    expect(status).to_contain_text("১")
    assert not re.search(r"[0-9]", status.inner_text())
    # What goes back to the server keeps its Western digits.
    assert re.fullmatch(
        r"[0-9]+",
        page.locator("[data-seconds-left]").get_attribute("data-seconds-left") or "",
    )
