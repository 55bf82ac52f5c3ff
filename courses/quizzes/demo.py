"""The demo organisation's quizzes: the question bank "Northwind onboarding", written
from the onboarding lessons (courses/demo_data/), one quiz as the last step of
each onboarding course, and passed (and failed) attempts for the demo people who
have completed those courses, made through the attempt services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from django.utils import timezone

from courses import demo as courses_demo
from courses.models import CoursePage, LessonCompletion
from courses.quizzes import services
from courses.quizzes.grading import correct_response
from courses.quizzes.models import (
    AttemptQuestion,
    Question,
    QuestionBank,
    QuestionOption,
    QuizAttempt,
    QuizPage,
    QuizSlot,
)
from courses.services import assignments_recount
from lms.accounts.demo import demo_email
from lms.accounts.models import User
from lms.demo import Log

BANK_NAME = "Northwind onboarding"


@dataclass(frozen=True)
class A:
    """An answer option: a choice, an accepted answer, a number, a pair or an
    item to order."""

    text: str
    fraction: str = "0"
    feedback: str = ""
    match: str = ""
    tolerance: str = "0"


@dataclass(frozen=True)
class Q:
    kind: str
    name: str
    text: str
    options: list[A]
    explanation: str = ""
    points: str = "1"
    partial_credit: bool = True
    shuffle: bool = True


@dataclass(frozen=True)
class DemoQuiz:
    """The quiz of one onboarding course: its questions (tagged with `tag`) and
    settings. With `draw`, the quiz draws that many of them per attempt instead of
    asking them all."""

    course_title: str
    tag: str
    intro: str
    questions: list[Q]
    draw: int | None = None
    time_limit_minutes: int | None = None
    layout: str = QuizPage.Layout.ONE_PAGE
    show_answers: str = QuizPage.ShowAnswers.AFTER_PASSING


def _true_false(answer: bool, *, if_true: str = "", if_false: str = "") -> list[A]:
    return [
        A("True", "1" if answer else "0", if_true),
        A("False", "0" if answer else "1", if_false),
    ]


QUIZZES = [
    DemoQuiz(
        course_title="Northwind and its product",
        tag="northwind-and-its-product",
        intro="Seven questions on what Northwind sells, to whom, and how we win.",
        questions=[
            Q(
                "single",
                "Systems Insight unifies",
                "Which three systems does Northwind Insight bring together into one "
                "model of the business?",
                [
                    A("Point-of-sale, e-commerce and inventory or ERP", "1"),
                    A(
                        "CRM, marketing automation and e-mail",
                        feedback="Those are sales and marketing systems; Insight "
                        "models what a retailer sells and holds.",
                    ),
                    A(
                        "Payroll, HR and workforce scheduling",
                        feedback="Store labour is Andre's concern, but it is not "
                        "data Insight unifies.",
                    ),
                    A(
                        "The general ledger, banking and tax",
                        feedback="Finance sees the results in Insight; its data "
                        "comes from sales and inventory.",
                    ),
                ],
                "Stores, online and inventory rarely agree; Insight Connect maps all "
                "three into one product hierarchy and one store list.",
            ),
            Q(
                "multiple",
                "Outcomes customers buy",
                "Which outcomes do customers buy Northwind for? Choose all that apply.",
                [
                    A("Fewer stockouts and less excess inventory", "0.33333"),
                    A("Higher gross margin", "0.33333"),
                    A("Faster decisions that everyone shares", "0.33334"),
                    A(
                        "A replacement for their BI tool",
                        "-0.5",
                        "Insight can feed their BI tool; we do not ask them to "
                        "replace it.",
                    ),
                    A(
                        "A smaller data team",
                        "-0.5",
                        "We give a data team a head start; we never pitch "
                        "head-count cuts.",
                    ),
                ],
                "We sell outcomes, not charts: inventory, margin and time.",
                points="2",
            ),
            Q(
                "truefalse",
                "Results as guarantees",
                "You may quote a customer's first-year results as a guarantee, as "
                "long as the customer is on the approved reference list.",
                _true_false(
                    False,
                    if_true="Results are ranges, never promises, whoever the "
                    "customer is.",
                ),
                "Use results as ranges (such as 5 to 10 percent less markdown "
                "spend), never as a promise.",
            ),
            Q(
                "numeric",
                "Markdown reduction range",
                "Customers typically report lower markdown spend in their first "
                "year. What is the top of that range, in percent?",
                [
                    A("10", "1", "Right: 5 to 10 percent."),
                    A(
                        "25",
                        "0",
                        "25 percent is the top of the stockout reduction range.",
                    ),
                ],
                "First-year ranges: 15–25% fewer stockouts on key items, 5–10% less "
                "markdown spend.",
            ),
            Q(
                "short",
                "Connector library",
                "What is the name of Northwind's library of prebuilt connectors?",
                [A("Insight Connect", "1"), A("Connect", "1")],
                "Insight Connect pulls POS, e-commerce and inventory data and maps "
                "it into one model.",
            ),
            Q(
                "matching",
                "The three modules",
                "Match each Northwind Insight module with what it does.",
                [
                    A(
                        "Demand Forecasting",
                        match="Weekly forecasts per SKU and store, 12 to 26 weeks "
                        "ahead",
                    ),
                    A(
                        "Store Performance",
                        match="Each store against its forecast and similar stores",
                    ),
                    A(
                        "Markdown Optimization",
                        match="What to mark down, where, when and by how much",
                    ),
                ],
                points="3",
            ),
            Q(
                "single",
                "Prospect who likes their BI tool",
                "A prospect tells you their analysts publish everything in a BI tool "
                "they like. What do you do?",
                [
                    A(
                        "Ask what it takes to produce the Monday report, and position "
                        "Insight's retail model and forecasts as something that can "
                        "feed their BI tool",
                        "1",
                    ),
                    A(
                        "Explain why their BI tool cannot keep up as they grow",
                        feedback="Do not attack a tool the customer chose and "
                        "probably likes.",
                    ),
                    A(
                        "Offer a discount if they switch off the BI tool",
                        feedback="Nobody has to switch anything off: Insight can "
                        "feed their BI tool.",
                    ),
                ],
                "Ask questions that let the buyer discover the gap themselves.",
            ),
        ],
    ),
    DemoQuiz(
        course_title="Ideal customer profile and personas",
        tag="icp-and-personas",
        intro="Seven questions on who we sell to and who decides.",
        show_answers=QuizPage.ShowAnswers.AFTER_LAST_ATTEMPT,
        questions=[
            Q(
                "multiple",
                "Retailers in the ICP",
                "Which of these retailers fit Northwind's ideal customer profile? "
                "Choose all that apply.",
                [
                    A(
                        "A 140-store outdoor retailer with a quarter of its revenue "
                        "online",
                        "0.5",
                    ),
                    A(
                        "A 60-store footwear chain replatforming its e-commerce site",
                        "0.5",
                        "A fit, and the replatforming is a buying trigger.",
                    ),
                    A(
                        "A 12-store gift shop chain",
                        "-0.5",
                        "Fewer than 20 stores: disqualify politely and early.",
                    ),
                    A(
                        "A 300-store grocery chain selling mostly fresh food",
                        "-0.5",
                        "Mostly fresh or perishable goods are outside the ICP.",
                    ),
                ],
                "The ICP: 20 to 500 stores, specialty retail with seasonal or "
                "trend-driven assortments, stores plus a growing online business.",
                points="2",
            ),
            Q(
                "numeric",
                "Smallest store count",
                "What is the smallest number of stores a retailer in our ICP has?",
                [A("20", "1")],
                "Fewer than 20 stores is a reason to walk away.",
            ),
            Q(
                "matching",
                "Personas and their roles",
                "Match each persona with their role.",
                [
                    A("Rachel", match="VP of Merchandising"),
                    A("Marcus", match="Head of E-commerce"),
                    A("David", match="Chief Financial Officer"),
                    A("Andre", match="Director of Store Operations"),
                ],
                points="2",
            ),
            Q(
                "single",
                "Usual economic buyer",
                "In a typical Northwind deal, who is the economic buyer?",
                [
                    A("David, the CFO", "1"),
                    A(
                        "Rachel, the VP of Merchandising",
                        feedback="Rachel is usually the champion, not the person "
                        "who approves the spend.",
                    ),
                    A(
                        "Andre, the Director of Store Operations",
                        feedback="Andre is an influential user who can quietly "
                        "block adoption.",
                    ),
                    A(
                        "IT",
                        feedback="IT joins later to review security and data "
                        "connections.",
                    ),
                ],
                "David approves anything above the department budgets.",
            ),
            Q(
                "truefalse",
                "Recently signed suite",
                "A retailer that signed a multi-year enterprise planning suite "
                "eight months ago is a good prospect for this quarter.",
                _true_false(
                    False,
                    if_true="A suite signed in the last twelve months is a reason "
                    "to walk away for now.",
                ),
                "Log the reason in the CRM so that marketing can nurture them for "
                "later.",
            ),
            Q(
                "short",
                "BOPIS",
                "What does BOPIS, one of Marcus's goals, stand for?",
                [
                    A("buy online, pick up in store", "1"),
                    A("buy online pick up in store", "1"),
                    A("buy online, pickup in store", "1"),
                    A("buy online pickup in store", "1"),
                ],
                "Marcus wants to offer buy online, pick up in store without "
                "disappointing customers.",
            ),
            Q(
                "single",
                "Relationships before proposal",
                "How many relationships should you build in an account before the "
                "proposal stage?",
                [
                    A("At least three", "1"),
                    A(
                        "One strong champion is enough",
                        feedback="If your only contact changes jobs, the deal "
                        "leaves with them.",
                    ),
                    A("Two: the champion and the economic buyer"),
                ],
                "A deal with only one contact is a deal at risk.",
            ),
        ],
    ),
    DemoQuiz(
        course_title="Discovery calls",
        tag="discovery-calls",
        intro="Six questions, drawn from the discovery questions of the bank: each "
        "attempt gets its own set. You have 15 minutes.",
        draw=6,
        time_limit_minutes=15,
        questions=[
            Q(
                "ordering",
                "Discovery call agenda",
                "Put the parts of a 30-minute discovery call in order.",
                [
                    A("Open and set the agenda"),
                    A("Their world: role, team, priorities"),
                    A("Current state and pain"),
                    A("Future state"),
                    A("Summary and next step"),
                ],
                "3, 5, 12, 5 and 5 minutes: most of the call is about how things "
                "work today and what that costs.",
                points="2",
            ),
            Q(
                "numeric",
                "Talk time",
                "At most how much of a discovery call should you spend talking, in "
                "percent?",
                [A("40", "1", "Right: less than 40 percent.")],
                "If you hear yourself explaining a feature, stop and ask a question "
                "instead.",
            ),
            Q(
                "single",
                "Ending a discovery call",
                "How should a discovery call end?",
                [
                    A(
                        "Play back the pains in their words, check you got them "
                        "right, and agree a dated next step with the invite sent "
                        "before you hang up",
                        "1",
                    ),
                    A(
                        "“I'll follow up with some times next week.”",
                        feedback="Never end with “I'll follow up.”",
                    ),
                    A(
                        "Send the price list so that they can check the budget",
                        feedback="Price comes after they agree there is a problem "
                        "worth solving.",
                    ),
                ],
            ),
            Q(
                "matching",
                "MEDDPICC elements",
                "Match each MEDDPICC element with what it means.",
                [
                    A("Metrics", match="The measurable outcome the buyer wants"),
                    A("Economic buyer", match="The person who can approve the spend"),
                    A(
                        "Paper process",
                        match="Legal review, security questionnaire, procurement, "
                        "signature",
                    ),
                    A(
                        "Champion",
                        match="Sells for you when you are not in the room",
                    ),
                ],
                points="2",
            ),
            Q(
                "multiple",
                "Open questions",
                "Which of these are open questions that uncover pain? Choose all "
                "that apply.",
                [
                    A(
                        "“Walk me through how your team decides what to mark down "
                        "and when.”",
                        "0.5",
                    ),
                    A(
                        "“What happened with inventory at the end of last season?”",
                        "0.5",
                    ),
                    A(
                        "“Wouldn't it be great if your forecasts were more accurate?”",
                        "-1",
                        "A leading question: it gets a polite yes and tells you "
                        "nothing.",
                    ),
                    A(
                        "“Do you use spreadsheets?”",
                        "-1",
                        "A closed question: yes or no, and no pain.",
                    ),
                ],
                "Ask open questions and let the buyer describe the problem.",
                partial_credit=False,
            ),
            Q(
                "truefalse",
                "Gaps in MEDDPICC",
                "An opportunity with gaps in its MEDDPICC fields should be closed as "
                "lost.",
                _true_false(
                    False,
                    if_true="Gaps are not failures; they are your plan for the "
                    "next meeting.",
                ),
            ),
            Q(
                "short",
                "Legal and signature",
                "Which MEDDPICC element covers legal review, the security "
                "questionnaire, the data processing agreement and signature?",
                [A("paper process", "1"), A("the paper process", "1")],
                "Ask about the paper process early: it often takes longer than the "
                "evaluation itself.",
            ),
            Q(
                "single",
                "An emotional word",
                "The buyer says the Monday report is “frustrating”. What do you say "
                "next?",
                [
                    A("“Tell me more about that.”", "1"),
                    A(
                        "“Our dashboards fix exactly that.”",
                        feedback="Too early: you do not yet know what frustrates "
                        "them or what it costs.",
                    ),
                    A(
                        "“Let's look at how we price that.”",
                        feedback="Follow up on the emotion first.",
                    ),
                ],
                "Follow emotional words such as “frustrating” or “embarrassing” "
                "with an open invitation to say more.",
            ),
        ],
    ),
    DemoQuiz(
        course_title="Demo skills",
        tag="demo-skills",
        intro="Seven questions, one per page. Your answers are saved as you go.",
        layout=QuizPage.Layout.PER_QUESTION,
        questions=[
            Q(
                "ordering",
                "Opening moves",
                "Put the four opening moves of Sofia's demo in order.",
                [
                    A("Recap discovery in the buyer's words"),
                    A("Confirm who is in the room and what they want"),
                    A("Set the agenda"),
                    A("Show the ending first"),
                ],
                points="2",
            ),
            Q(
                "single",
                "The beat reps skip",
                "Which beat of tell-show-tell do reps skip most often?",
                [
                    A("The second tell: sum up the value and check it landed", "1"),
                    A("The first tell: say what you will show and why"),
                    A("The show: show only that, in few clicks"),
                ],
                "The second tell turns a feature into a benefit and invites the "
                "buyer to say it back to you.",
            ),
            Q(
                "numeric",
                "Story length",
                "At most how many minutes should one day-in-the-life story take?",
                [A("8", "1")],
                "Keep each story under eight minutes and stop for a question after "
                "every one.",
            ),
            Q(
                "truefalse",
                "Anonymised customer data",
                "You may demo from another customer's workspace if the data is "
                "anonymised.",
                _true_false(
                    False,
                    if_true="Only ever demo from the Northwind demo tenant, with "
                    "synthetic data.",
                ),
            ),
            Q(
                "matching",
                "Kinds of question",
                "Match each kind of question from the audience with how you handle it.",
                [
                    A(
                        "Relevant and quick",
                        match="Answer it now, in a sentence or two",
                    ),
                    A("Relevant but long", match="Park it and promise a follow-up"),
                    A(
                        "Not something we do",
                        match="Say so plainly, then ask how important it is",
                    ),
                ],
                points="2",
            ),
            Q(
                "short",
                "Trial close threshold",
                "After a story you ask: “On a scale of one to ten, how useful would "
                "that be?” Below which score do you ask what is missing? (Type the "
                "number.)",
                [A("7", "1"), A("seven", "1")],
                "Anything below seven tells you to ask what is missing before "
                "moving on.",
            ),
            Q(
                "multiple",
                "Next steps after a first demo",
                "Which are typical next steps after a first demo? Choose all that "
                "apply.",
                [
                    A("A technical session with IT on data connections", "0.33333"),
                    A("A business case workshop with finance", "0.33333"),
                    A("A reference call with a similar customer", "0.33334"),
                    A(
                        "Sending the order form for signature",
                        "-0.5",
                        "Far too early: there is no business case or decision "
                        "process yet.",
                    ),
                ],
            ),
        ],
    ),
    DemoQuiz(
        course_title="Objection handling",
        tag="objection-handling",
        intro="Five questions drawn from the objection-handling questions of the "
        "bank. The correct answers are shown after your last attempt.",
        draw=5,
        show_answers=QuizPage.ShowAnswers.AFTER_LAST_ATTEMPT,
        questions=[
            Q(
                "ordering",
                "Four steps",
                "Put the four steps for handling any objection in order.",
                [A("Acknowledge"), A("Clarify"), A("Respond"), A("Confirm")],
                points="2",
            ),
            Q(
                "numeric",
                "Markdown savings",
                "The retailer in the worked example sells $300 million a year and "
                "spends 11 percent of sales on markdowns. What does a 5 percent cut "
                "in markdown spend save each year, in millions of dollars?",
                [
                    A("1.65", "1", "Right: 5% of $33 million.", tolerance="0.01"),
                    A(
                        "15",
                        "0",
                        "That is 5% of sales; the saving is 5% of the markdown spend.",
                        tolerance="0.1",
                    ),
                ],
                "Markdowns are 11% of $300M, about $33M; 5% of $33M is $1.65M, which "
                "pays back $180,000 in about six weeks.",
                points="2",
            ),
            Q(
                "single",
                "First answer to the CFO",
                "The CFO says: “That's a lot more than we expected to spend on "
                "analytics.” What do you do first?",
                [
                    A(
                        "Acknowledge it and ask what they are comparing the price with",
                        "1",
                    ),
                    A(
                        "Offer 10 percent off to keep the deal moving",
                        feedback="A discount given too early tells the buyer the "
                        "price was never real.",
                    ),
                    A(
                        "Walk through the features again",
                        feedback="You do not yet know which concern you are "
                        "dealing with.",
                    ),
                ],
            ),
            Q(
                "numeric",
                "Discount approval",
                "Above what discount, in percent, do you need your manager's "
                "approval before you mention it?",
                [A("10", "1")],
            ),
            Q(
                "multiple",
                "What to trade",
                "If price truly is the last obstacle, what can you ask for in "
                "exchange for a lower first-year fee? Choose all that apply.",
                [
                    A("A two-year term", "0.33333"),
                    A("A case study", "0.33333"),
                    A("A signature by a specific date", "0.33334"),
                    A(
                        "Nothing: the discount closes the objection",
                        "-1",
                        "Trade rather than give.",
                    ),
                ],
            ),
            Q(
                "matching",
                "Common objections",
                "Match each objection with the first move that answers it.",
                [
                    A(
                        "“We already have a BI tool.”",
                        match="Ask how they use it for forecasts and markdowns",
                    ),
                    A(
                        "“Our data team can build this.”",
                        match="Compare 12–18 months of build with 4–6 weeks",
                    ),
                    A(
                        "“Now isn't a good time.”",
                        match="Ask what waiting would cost them",
                    ),
                    A(
                        "“We're looking at a bigger suite.”",
                        match="Compare total cost and time to value",
                    ),
                ],
                points="2",
            ),
        ],
    ),
    DemoQuiz(
        course_title="CRM hygiene",
        tag="crm-hygiene",
        intro="Six questions on keeping the CRM honest. You have 10 minutes.",
        time_limit_minutes=10,
        questions=[
            Q(
                "numeric",
                "Notes deadline",
                "Within how many hours must a call be logged in the CRM?",
                [A("24", "1")],
                "Notes within one business day: who attended, what you learned, "
                "pains in the buyer's words, what was agreed.",
            ),
            Q(
                "ordering",
                "Opportunity stages",
                "Put our opportunity stages in order.",
                [
                    A("Qualify"),
                    A("Discovery"),
                    A("Demo and evaluation"),
                    A("Proposal"),
                    A("Negotiation"),
                    A("Closed won or closed lost"),
                ],
                points="2",
            ),
            Q(
                "single",
                "A good next step",
                "Which of these is a next step that meets our CRM rules?",
                [
                    A("Demo for Rachel and her planning lead, Tue Nov 10", "1"),
                    A(
                        "Follow up",
                        feedback="Never “follow up”: an action, an owner and a date.",
                    ),
                    A(
                        "Check in sometime next month",
                        feedback="No date, no owner: not a next step.",
                    ),
                ],
            ),
            Q(
                "truefalse",
                "Sending a proposal",
                "An opportunity moves to the proposal stage when you send the "
                "proposal.",
                _true_false(
                    False,
                    if_true="Stages are defined by what the buyer has done, not by "
                    "what you have done.",
                ),
                "A deal is proposal-stage when the buyer agrees to review it with "
                "the economic buyer.",
            ),
            Q(
                "multiple",
                "Never in CRM notes",
                "Which of these must never go into CRM notes? Choose all that apply.",
                [
                    A("Customer data extracts", "0.33333"),
                    A("Passwords", "0.33333"),
                    A("A contact's home address", "0.33334"),
                    A(
                        "The buyer's own words about their pain",
                        "-1",
                        "Those belong in the notes: record pains in the buyer's words.",
                    ),
                ],
            ),
            Q(
                "short",
                "Closed lost",
                "Besides a one-sentence note, what must a closed-lost opportunity "
                "have?",
                [A("a reason code", "1"), A("reason code", "1"), A("reason", "0.5")],
                "Pick the reason code and write one sentence on what happened: this "
                "is how we learn.",
            ),
        ],
    ),
]

# Attempts for the demo people, in line with courses.demo.PROGRESS (how many
# onboarding courses each has completed). Luis failed his first attempt once.
FAILED_FIRST = {"Luis Ortega": {"Northwind and its product"}}
# Jonas leaves one question unanswered in these quizzes (still a pass).
MISSED_ONE = {"Jonas Weber": {"Demo skills", "CRM hygiene"}}


def seed_quizzes(log: Log) -> None:
    bank, _ = QuestionBank.objects.get_or_create(
        name=BANK_NAME,
        defaults={
            "description": "Questions on the onboarding path “First 30 days”, one "
            "tag per course."
        },
    )
    added = 0
    quizzes: list[QuizPage] = []
    for spec in QUIZZES:
        questions = [_question(bank, spec.tag, q) for q in spec.questions]
        added += sum(new for _, new in questions)
        quizzes.append(_quiz(spec, bank, [question for question, _ in questions]))
    for quiz in quizzes:
        assignments_recount(course=CoursePage.objects.get(pk=quiz.get_parent().pk))
    attempts = 0
    for name, done in courses_demo.PROGRESS.items():
        person = User.objects.get(email=demo_email(name))
        for index, quiz in enumerate(quizzes[:done]):
            attempts += _pass(person, quiz, index, name)
    log(
        f"  question bank “{bank}”: {added} questions added, "
        f"{len(quizzes)} quizzes, {attempts} attempts made"
    )


def _question(bank: QuestionBank, tag: str, spec: Q) -> tuple[Question, bool]:
    existing = Question.objects.filter(bank=bank, name=spec.name).first()
    if existing is not None:
        return existing, False
    question = Question(
        bank=bank,
        kind=spec.kind,
        name=spec.name,
        text=spec.text,
        points=Decimal(spec.points),
        explanation=spec.explanation,
        partial_credit=spec.partial_credit,
        shuffle_options=spec.shuffle,
    )
    for order, option in enumerate(spec.options):
        question.options.add(
            QuestionOption(
                sort_order=order,
                text=option.text,
                match_text=option.match,
                fraction=Decimal(option.fraction),
                tolerance=Decimal(option.tolerance),
                feedback=option.feedback,
            )
        )
    question.save()
    question.tags.add(tag)
    question.save()
    return question, True


def _quiz(spec: DemoQuiz, bank: QuestionBank, questions: list[Question]) -> QuizPage:
    course = CoursePage.objects.get(title=spec.course_title)
    title = f"{spec.course_title} quiz"
    existing = QuizPage.objects.child_of(course).filter(title=title).first()
    if existing is not None:
        return cast(QuizPage, existing)
    quiz = QuizPage(
        title=title,
        body=[
            ("paragraph", f"<p>{spec.intro}</p>"),
            (
                "callout",
                {
                    "kind": "tip",
                    "text": "Passing this quiz completes the course. If you do not "
                    "pass, read the feedback, review the lessons and try again.",
                },
            ),
        ],
        pass_mark_percent=80,
        max_attempts=3,
        wait_minutes=10,
        time_limit_minutes=spec.time_limit_minutes,
        layout=spec.layout,
        show_answers=spec.show_answers,
    )
    if spec.draw is not None:
        quiz.slots.add(QuizSlot(bank=bank, tag=spec.tag, draw_count=spec.draw))
    else:
        for order, question in enumerate(questions):
            quiz.slots.add(QuizSlot(question=question, sort_order=order))
    return cast(QuizPage, course.add_child(instance=quiz))


def _pass(person: User, quiz: QuizPage, index: int, name: str) -> int:
    """Attempts as the person would have made them, on the day before the course
    was due; none if they already have some (seed_demo runs again safely)."""
    if QuizAttempt.objects.filter(quiz=quiz, user=person).exists():
        return 0
    course_title = quiz.title.removesuffix(" quiz")
    when = _day_of(person, courses_demo.load_catalogue().steps[index].due_days - 1)
    made = 0
    if course_title in FAILED_FIRST.get(name, set()):
        _attempt(person, quiz, when - dt.timedelta(days=1), right=0.5)
        made += 1
    missed = course_title in MISSED_ONE.get(name, set())
    attempt = _attempt(person, quiz, when, right=1.0, leave_last=missed)
    if not attempt.passed:
        raise RuntimeError(f"The demo attempt of {name} at “{quiz}” did not pass.")
    return made + 1


def _day_of(person: User, days_after_start: int) -> dt.datetime:
    """Mid-afternoon UTC that many days after the person started (never later than
    an hour ago)."""
    start = person.start_date or timezone.localdate()
    day = start + dt.timedelta(days=days_after_start)
    moment = dt.datetime.combine(day, dt.time(15, 0), tzinfo=dt.UTC)
    return min(moment, timezone.now() - dt.timedelta(hours=1))


def _attempt(
    person: User,
    quiz: QuizPage,
    when: dt.datetime,
    *,
    right: float,
    leave_last: bool = False,
) -> QuizAttempt:
    """An attempt through the services, answering the first `right` share of the
    questions correctly and the rest not at all; then dated `when`."""
    attempt = services.attempt_start(user=person, quiz=quiz)
    items = list(attempt.questions.order_by("position"))
    answered = round(len(items) * right) - (1 if leave_last else 0)
    responses: dict[int, object] = {
        item.position: correct_response(item.snapshot) for item in items[:answered]
    }
    attempt = services.attempt_submit(attempt=attempt, user=person, responses=responses)
    took = dt.timedelta(minutes=4 + len(items))
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        started_at=when - took,
        deadline=when - took + dt.timedelta(minutes=quiz.time_limit_minutes)
        if quiz.time_limit_minutes
        else None,
        closed_at=when,
    )
    AttemptQuestion.objects.filter(attempt=attempt).update(saved_at=when)
    if attempt.passed:
        LessonCompletion.objects.filter(
            user=person, lesson=quiz, how=LessonCompletion.How.QUIZ_PASSED
        ).update(completed_at=when)
    attempt.refresh_from_db()
    return attempt
