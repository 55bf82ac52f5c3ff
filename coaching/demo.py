"""Coaching in the demo: the "Discovery call" rubric, the practice "Handle the pricing
objection" in "Objection handling", and calls and practice takes in every state —
spoken with espeak-ng (tones where it is missing), sent through the real media
pipeline, and reviewed through the real services with comments at the moments they
talk about."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from coaching import analytics, services
from coaching.models import (
    PracticePage,
    Review,
    Rubric,
    RubricCriterion,
    Submission,
    Take,
)
from courses.models import CoursePage, LessonPage
from courses.selectors import lock_reason
from lms.accounts.demo import demo_email
from lms.accounts.models import User
from lms.demo import Log
from media import dialogue
from media.demo import generated_asset
from media.models import MediaAsset

RUBRIC_NAME = "Discovery call"
PRACTICE_TITLE = "Handle the pricing objection"
PRACTICE_COURSE = "Objection handling"
VOICES = {"rep": "en-us+f3", "buyer": "en-gb+m3"}
PAUSE_SECONDS = 0.6
# The "Discovery call" rubric's target for the rep's share of the talking (percent):
# the discovery lesson says "less than 40 percent"; a little more is still fine.
TALK_RATIO_TARGET = (30, 45)

CRITERIA = [
    (
        "Agenda setting",
        "Opens with a clear purpose, time check and agreed agenda.",
        20,
        [
            "No agenda; the call drifts from the start.",
            "Mentions a purpose but does not check it with the buyer.",
            "States purpose and time; the buyer agrees.",
            "Purpose, time and agenda agreed, with the buyer adding to it.",
            "Agenda co-created and revisited when the call changes course.",
        ],
    ),
    (
        "Questioning",
        "Open questions that uncover pain, impact and who decides.",
        30,
        [
            "Mostly closed or leading questions.",
            "Some open questions, little follow-up.",
            "Open questions with follow-up on the main pain.",
            "Uncovers pain, its impact in numbers and the decision process.",
            "Layered questions that make the buyer rethink the problem.",
        ],
    ),
    (
        "Listening",
        "Lets the buyer talk, summarises and builds on what was said.",
        30,
        [
            "Talks over the buyer; pitches early.",
            "Lets the buyer talk but does not use what was said.",
            "Summarises the buyer's points at least once.",
            "Summaries in the buyer's words; talk time under half.",
            "Picks up small cues and turns them into the best questions.",
        ],
    ),
    (
        "Next steps",
        "Ends with a concrete, dated next step both sides own.",
        20,
        [
            "No next step.",
            "A vague next step (“I'll send something over”).",
            "A next step with a date.",
            "A dated next step with the right people invited.",
            "Mutual plan agreed, with the buyer owning part of it.",
        ],
    ),
]

PRACTICE_PROMPT = (
    "A retail buyer tells you: “Your price is thirty percent higher than the tool we "
    "use today.” Record how you handle the pricing objection, in under two minutes: "
    "acknowledge it, ask what the number is compared with, and bring the "
    "conversation back to the value the buyer told you about."
)
PRACTICE_BODY = [
    (
        "paragraph",
        "<p>Pricing objections come late in a deal and early in a rep's career. "
        "Practise the framework from the lesson before you meet it on a live call: "
        "acknowledge, clarify, respond with value, confirm.</p>",
    ),
    (
        "callout",
        {
            "kind": "tip",
            "text": "Stay quiet after your clarifying question. The buyer's answer "
            "tells you which objection you are really handling.",
        },
    ),
]

Line = tuple[str, str]  # (speaker, words)

PITCH = [
    ("rep", "I hear you. Thirty percent is a real difference, and I'd want to "
            "understand it too."),
    ("rep", "Can I ask what you're comparing with? Is that the licence alone, or "
            "the licence plus the analyst time your team spends on weekly reports?"),
    ("rep", "Earlier you told me your merchandisers lose a day every week pulling "
            "numbers together. At twelve people, that's more than our whole "
            "subscription."),
    ("rep", "So if we take that time back, does the price still feel high, or is "
            "the question really about the budget for this year?"),
    ("rep", "Would it help if I put those numbers in a one page summary for your "
            "finance lead before Thursday?"),
]  # fmt: skip
PITCH_WEAK = [
    ("rep", "Oh, okay. Well, we can probably do something on the price."),
    ("rep", "Let me talk to my manager about a discount. Maybe ten or fifteen "
            "percent."),
    ("rep", "Our product is really good though. It has dashboards, forecasting, "
            "and a lot of integrations."),
    ("rep", "So, yeah. I'll send you an updated quote."),
]  # fmt: skip


def _call(buyer: str, company: str, style: str = "balanced") -> list[Line]:
    """A discovery call, twelve lines. `style` changes who does the talking (the
    conversation analytics show it): "talks" is a rep who pitches at length, "listens"
    one who lets the buyer tell the story."""
    script = _call_lines(buyer, company)
    # fmt: off
    if style == "talks":
        script[2] = ("rep", f"Understood. Before my questions, let me tell you a bit "
                            "about Northwind. We connect to your point of sale and "
                            "your stock system, we refresh every hour, and we have "
                            "forecasting, dashboards for every store, and more than "
                            "forty integrations. Retailers like yours usually see "
                            f"results in the first month. So how does {company} "
                            "decide which products go on promotion today?")
        script[4] = ("rep", "Right, and that's exactly where our forecasting helps, "
                            "because it learns from every promotion you run and "
                            "tells your category managers which products will sell "
                            "before they commit the stock. What happens when a "
                            "promotion doesn't work?")
        script[10] = ("rep", "Great. Then let me show you the full platform next "
                             "Tuesday. I'll walk you through the dashboards, the "
                             "forecasting, the alerts, the mobile app and our "
                             "pricing, and you can bring anyone you like. I think "
                             "you'll really like what you see.")
    elif style == "listens":
        script[0] = ("rep", f"Thanks for making the time today, {buyer}. Can we use "
                            "our thirty minutes on how you plan promotions?")
        script[3] = ("buyer", "Mostly spreadsheets. Each category manager pulls "
                              "last year's sales, adds what they heard from the "
                              "suppliers, and makes a call. Nobody checks the "
                              "numbers against the stock we already hold, and the "
                              "regions each keep their own version of the file.")
        script[5] = ("buyer", "We find out a month later, when the stock is already "
                              "sitting in the warehouse. Last spring we had garden "
                              "furniture for two hundred stores that nobody wanted, "
                              "and we had to mark it down by half to move it before "
                              "the summer range arrived.")
        script[9] = ("buyer", "Our finance director, for sure. She signs off "
                              "anything over fifty thousand, and she asked me last "
                              "month why our promotion margins keep falling. The "
                              "category managers would care too, if it saves them "
                              "the Monday spreadsheet work.")
    # fmt: on
    return script


def _call_lines(buyer: str, company: str) -> list[Line]:
    return [
        ("rep", f"Thanks for making the time today, {buyer}. I'd like to use our "
                "thirty minutes to understand how your team plans promotions, and "
                "then decide together if a deeper look makes sense. Does that work?"),
        ("buyer", "Sure, that works. We're a bit short on time this quarter."),
        ("rep", f"Understood. How does {company} decide which products go on "
                "promotion today?"),
        ("buyer", "Mostly spreadsheets. Each category manager pulls last year's "
                  "sales and makes a call."),
        ("rep", "And what happens when a promotion doesn't work?"),
        ("buyer", "We find out a month later, when the stock is already sitting in "
                  "the warehouse."),
        ("rep", "So the cost is stock you can't move, and a month before anyone "
                "knows. Did I get that right?"),
        ("buyer", "Yes, that's exactly it."),
        ("rep", "Who else would care about fixing that?"),
        ("buyer", "Our finance director, for sure. She signs off anything over "
                  "fifty thousand."),
        ("rep", "Then let's set up a forty five minute session next Tuesday with "
                "her and one category manager. I'll bring an example built on "
                "your own categories."),
        ("buyer", "Tuesday works. Send me the invite."),
    ]  # fmt: skip


@dataclass
class DemoComment:
    line: int  # the comment sits where this line starts
    kind: str
    text: str
    to_line: int | None = None  # a range, to where this line ends
    reply: str = ""  # the rep's answer, once the review is submitted


@dataclass
class DemoReview:
    coach: str
    levels: tuple[int, int, int, int]
    outcome: str
    summary: str
    comments: list[DemoComment] = field(default_factory=list)
    submit: bool = True


@dataclass
class DemoCall:
    rep: str
    title: str
    script: list[Line]
    deal_stage: str = Submission.DealStage.DISCOVERY
    feedback_wanted: str = ""
    days_ago: float = 1
    review: DemoReview | None = None


@dataclass
class DemoPractice:
    rep: str
    takes: list[tuple[list[Line], DemoReview | None]]
    send_last: bool = True
    days_ago: float = 10


GOOD_CALL_COMMENTS = [
    DemoComment(
        0,
        "praise",
        "Great opener: purpose, time and a check-in.",
        reply="Thanks! I practised that one.",
    ),
    DemoComment(2, "praise", "Open question about their current process, nicely done."),
    DemoComment(
        6,
        "praise",
        "This summary in the buyer's words is exactly what we "
        "coach. Notice how she says “exactly”.",
        to_line=7,
    ),
    DemoComment(
        9,
        "improve",
        "Ask what the promotion misses cost last quarter: a "
        "number makes the pain real for the finance director.",
    ),
    DemoComment(10, "praise", "Concrete next step with a date and the decision maker."),
]
WEAK_CALL_COMMENTS = [
    DemoComment(
        2,
        "question",
        "What did you want to learn with this question? Try “walk me through the "
        "last promotion that went wrong”.",
        reply="I wanted to get to the demo quickly, honestly.",
    ),
    DemoComment(
        8,
        "improve",
        "Good instinct to ask who else cares, but ask how they decide, not only who.",
        to_line=9,
    ),
]
DRAFT_COMMENTS = [
    DemoComment(0, "praise", "Clear agenda and a time check."),
    DemoComment(
        5,
        "question",
        "What did you want to ask after this answer? It felt "
        "like a moment to dig into the cost.",
    ),
]
PITCH_COMMENTS = [
    DemoComment(0, "praise", "Acknowledging without defending: well done."),
    DemoComment(1, "praise", "The clarifying question is spot on."),
    DemoComment(
        2,
        "improve",
        "Good value link. Say the number out loud: twelve people times one day a week.",
        to_line=2,
    ),
    DemoComment(4, "praise", "A clear next step to close."),
]
WEAK_PITCH_COMMENTS = [
    DemoComment(
        0,
        "improve",
        "You went to price straight away. Acknowledge, then "
        "ask what they compare with.",
        reply="Fair. I panicked a bit there.",
    ),
    DemoComment(
        1, "improve", "Never offer a discount before you know the objection.", to_line=1
    ),
    DemoComment(
        2, "question", "Which of these features did this buyer say they care about?"
    ),
]

APPROVE_SUMMARY = (
    "A strong call. You set the agenda, asked open questions and summarised the pain "
    "in the buyer's words. Next time put a number on the cost of the problem before "
    "you book the next step."
)
PITCH_SUMMARY = (
    "You handled the objection the way the lesson describes: acknowledge, clarify, "
    "value, confirm. Make the value concrete with the buyer's own numbers."
)
RESUBMIT_SUMMARY = (
    "You offered a discount before finding out what the objection was really about. "
    "Record another take: acknowledge, ask what they compare the price with, then "
    "link to the value they told you about."
)

CALLS = [
    DemoCall(
        "Grace Adeyemi",
        "Discovery call with Bloom & Co",
        _call("Dana", "Bloom", "listens"),
        feedback_wanted="Did I qualify the decision process well enough?",
        days_ago=40,
        review=DemoReview(
            "Tom Reilly", (4, 4, 4, 3), "approved", APPROVE_SUMMARY, GOOD_CALL_COMMENTS
        ),
    ),
    DemoCall(
        "Jonas Weber",
        "Discovery call with Rotterdam Foods",
        _call("Pieter", "Rotterdam Foods"),
        days_ago=60,
        review=DemoReview(
            "Aiko Tanaka", (4, 5, 4, 4), "approved", APPROVE_SUMMARY, GOOD_CALL_COMMENTS
        ),
    ),
    DemoCall(
        "Jonas Weber",
        "Discovery call with Nordic Outdoor",
        _call("Astrid", "Nordic Outdoor", "listens"),
        days_ago=20,
        review=DemoReview(
            "Aiko Tanaka",
            (4, 4, 5, 4),
            "approved",
            APPROVE_SUMMARY,
            GOOD_CALL_COMMENTS[:3],
        ),
    ),
    DemoCall(
        "Marcus Johnson",
        "Discovery call with Harbor Goods",
        _call("Sam", "Harbor Goods"),
        feedback_wanted="New segment for me: how was my questioning?",
        days_ago=0.4,
    ),
    DemoCall(
        "Luis Ortega",
        "Discovery call with Acme Retail",
        _call("Chris", "Acme Retail", "talks"),
        feedback_wanted="Everything: it's my first real call.",
        days_ago=9,
        review=DemoReview(
            "Sofia Marquez",
            (2, 2, 3, 2),
            "resubmit",
            "You jumped to the demo before you knew who signs off. Book the second "
            "meeting with the finance director and send me that call.",
            WEAK_CALL_COMMENTS,
        ),
    ),
    DemoCall(
        "Luis Ortega",
        "Discovery call with Acme Retail, second meeting",
        _call("Chris", "Acme Retail", "talks"),
        deal_stage=Submission.DealStage.DEMO,
        feedback_wanted="Was my next step strong enough?",
        days_ago=2.5,
    ),
    DemoCall(
        "Olivia Park",
        "Discovery call with Linden Home",
        _call("Jordan", "Linden Home"),
        days_ago=1,
        review=DemoReview(
            "Sofia Marquez",
            (3, 3, 4, 3),
            "approved",
            APPROVE_SUMMARY,
            DRAFT_COMMENTS,
            submit=False,
        ),
    ),
    DemoCall(
        "Lena Fischer",
        "Discovery call with Elbe Fashion",
        _call("Katrin", "Elbe Fashion"),
        days_ago=0.8,
        review=DemoReview(
            "Aiko Tanaka",
            (3, 3, 3, 3),
            "approved",
            APPROVE_SUMMARY,
            DRAFT_COMMENTS,
            submit=False,
        ),
    ),
    DemoCall(
        "Fatima Hassan",
        "Discovery call with Sunny Market",
        _call("Alex", "Sunny Market"),
        days_ago=1.2,
    ),
]

PRACTICES = [
    DemoPractice(
        "Grace Adeyemi",
        [
            (
                PITCH_WEAK,
                DemoReview(
                    "Tom Reilly",
                    (2, 2, 3, 2),
                    "resubmit",
                    RESUBMIT_SUMMARY,
                    WEAK_PITCH_COMMENTS,
                ),
            ),
            (
                PITCH,
                DemoReview(
                    "Tom Reilly",
                    (4, 4, 4, 4),
                    "approved",
                    PITCH_SUMMARY,
                    PITCH_COMMENTS,
                ),
            ),
        ],
        days_ago=30,
    ),
    DemoPractice(
        "Jonas Weber",
        [
            (
                PITCH,
                DemoReview(
                    "Aiko Tanaka",
                    (4, 4, 3, 4),
                    "approved",
                    PITCH_SUMMARY,
                    PITCH_COMMENTS,
                ),
            ),
        ],
        days_ago=50,
    ),
    # Sofia, a senior rep who coaches her team, practises too: a take not sent yet.
    DemoPractice("Sofia Marquez", [(PITCH, None)], send_last=False, days_ago=0.2),
]


def seed_coaching(log: Log) -> None:
    rubric = _rubric()
    practice = _practice(rubric)
    made = 0
    for call in CALLS:
        made += _seed_call(call, rubric)
    if practice is not None:
        for demo_practice in PRACTICES:
            made += _seed_practice(demo_practice, practice, log)
    log(f"  rubric “{rubric.name}”, practice “{PRACTICE_TITLE}”, {made} submissions")


def _person(name: str) -> User | None:
    return User.objects.filter(email=demo_email(name)).first()


def _rubric() -> Rubric:
    rubric = Rubric.objects.filter(name=RUBRIC_NAME).first()
    if rubric is not None:
        if rubric.talk_ratio_min is None and rubric.talk_ratio_max is None:
            rubric.talk_ratio_min, rubric.talk_ratio_max = TALK_RATIO_TARGET
            rubric.save(update_fields=["talk_ratio_min", "talk_ratio_max"])
        return rubric
    rubric = Rubric(
        talk_ratio_min=TALK_RATIO_TARGET[0],
        talk_ratio_max=TALK_RATIO_TARGET[1],
        name=RUBRIC_NAME,
        description="How Northwind scores discovery calls and pitches: the "
        "behaviours from the Discovery calls course.",
        pass_threshold=Decimal("3.00"),
    )
    for order, (name, description, weight, levels) in enumerate(CRITERIA):
        rubric.criteria.add(
            RubricCriterion(
                name=name,
                description=description,
                weight=weight,
                sort_order=order,
                **{f"level_{n}": text for n, text in enumerate(levels, start=1)},
            )
        )
    rubric.save()
    return rubric


def _practice(rubric: Rubric) -> PracticePage | None:
    course = CoursePage.objects.filter(title=PRACTICE_COURSE).first()
    if course is None:
        return None
    existing = PracticePage.objects.child_of(course).filter(title=PRACTICE_TITLE)
    if existing.exists():
        return existing.get()
    practice = course.add_child(
        instance=PracticePage(
            title=PRACTICE_TITLE,
            body=PRACTICE_BODY,
            prompt=PRACTICE_PROMPT,
            rubric=rubric,
            max_seconds=120,
            max_takes=3,
            allow_upload=True,
            self_review=True,
        )
    )
    # After the lessons, before the course's quiz (a step that is not a lesson).
    first_other_step = next(
        (
            step
            for step in LessonPage.objects.child_of(course).exclude(pk=practice.pk)
            if step.specific_class is not LessonPage
        ),
        None,
    )
    if first_other_step is not None:
        practice.move(first_other_step, pos="left")
        practice.refresh_from_db()
    return practice


def _seed_call(call: DemoCall, rubric: Rubric) -> int:
    rep = _person(call.rep)
    if rep is None or Submission.objects.filter(rep=rep, title=call.title).exists():
        return 0
    asset, starts = _recording(rep, call.title, call.script, video=False)
    submission = services.call_review_request(
        rep=rep,
        asset=asset,
        title=call.title,
        rubric=rubric,
        deal_stage=call.deal_stage,
        feedback_wanted=call.feedback_wanted,
    )
    take = submission.takes.get()
    sent = timezone.now() - dt.timedelta(days=call.days_ago)
    _backdate(submission, take, sent)
    # The queued job would do it too; measuring here shows the metrics at once.
    analytics.call_analyse(take_id=take.pk)
    if call.review is not None:
        _review(take, call.review, starts, sent)
    return 1


def _seed_practice(demo: DemoPractice, practice: PracticePage, log: Log) -> int:
    rep = _person(demo.rep)
    if rep is None or Submission.objects.filter(rep=rep, practice=practice).exists():
        return 0
    locked = lock_reason(
        user=rep, course=CoursePage.objects.get(pk=practice.get_parent().pk)
    )
    if locked:
        log(f"  no practice for {demo.rep}: “{PRACTICE_COURSE}” is locked. {locked}")
        return 0
    criteria = list(practice.rubric.criteria.all())
    sent = timezone.now() - dt.timedelta(days=demo.days_ago)
    for number, (script, review) in enumerate(demo.takes, start=1):
        title = f"{PRACTICE_TITLE}, take {number}"
        asset, starts = _recording(rep, title, script, video=True)
        take = services.practice_take_add(rep=rep, practice=practice, asset=asset)
        if practice.self_review:
            level = 4 if script is PITCH else 3
            services.self_review_save(
                take=take,
                user=rep,
                levels={criterion.pk: level for criterion in criteria},
            )
        if review is None and not demo.send_last:
            continue
        submission = services.take_send(take=take, user=rep)
        _backdate(submission, take, sent)
        if review is not None:
            _review(take, review, starts, sent)
        sent += dt.timedelta(days=2)
    return 1


def _review(
    take: Take, demo: DemoReview, starts: list[tuple[float, float]], sent: dt.datetime
) -> None:
    coach = _person(demo.coach)
    assert coach is not None, demo.coach
    for note in demo.comments:
        start, _ = starts[min(note.line, len(starts) - 1)]
        end = starts[note.to_line][1] if note.to_line is not None else None
        services.comment_add(
            take=take,
            author=coach,
            text=note.text,
            start_seconds=Decimal(f"{start:.2f}"),
            end_seconds=Decimal(f"{end:.2f}") if end is not None else None,
            kind=note.kind,
        )
    review = services.review_start(take=take, coach=coach)
    Review.objects.filter(pk=review.pk).update(started_at=sent + dt.timedelta(hours=5))
    if not demo.submit:
        return
    criteria = list(take.submission.rubric.criteria.all())
    review = services.review_submit(
        review=review,
        coach=coach,
        levels={c.pk: level for c, level in zip(criteria, demo.levels, strict=True)},
        summary=demo.summary,
        outcome=demo.outcome,
    )
    Review.objects.filter(pk=review.pk).update(
        submitted_at=sent + dt.timedelta(hours=20)
    )
    rep = take.submission.rep
    for comment in review.comments.filter(parent__isnull=True).order_by(
        "start_seconds"
    ):
        answer = next((c.reply for c in demo.comments if c.text == comment.text), "")
        if answer:
            services.comment_add(take=take, author=rep, text=answer, parent=comment)


def _backdate(submission: Submission, take: Take, sent: dt.datetime) -> None:
    """Demo history: the request as if sent `sent`, due by the turnaround."""
    from django.conf import settings

    due = sent + dt.timedelta(hours=settings.COACHING_TURNAROUND_HOURS)
    Submission.objects.filter(pk=submission.pk).update(
        created_at=min(submission.created_at, sent), requested_at=sent, due_at=due
    )
    Take.objects.filter(pk=take.pk).update(created_at=sent, sent_at=sent)


# Recordings: spoken lines, one after another, then through the pipeline.


def _recording(
    owner: User, title: str, script: list[Line], *, video: bool
) -> tuple[MediaAsset, list[tuple[float, float]]]:
    """A recording of the script and where each line starts and ends (seconds)."""
    with tempfile.TemporaryDirectory(prefix="onramp-coaching-") as folder:
        if video:
            spoken, starts = _spoken(Path(folder), script, first_input=1)
            inputs = [
                "-f", "lavfi", "-i", "color=c=0x1f4fbf:size=640x360:rate=25",
                *spoken, "-map", "0:v", "-c:v", "libx264", "-preset", "veryfast",
                "-pix_fmt", "yuv420p", "-c:a", "aac",
            ]  # fmt: skip
        else:
            inputs, starts = _two_channel_call(Path(folder), script)
        filename = "take.mp4" if video else "call.m4a"
        asset = generated_asset(
            owner=owner,
            title=title,
            filename=filename,
            ffmpeg_inputs=inputs,
            kind=MediaAsset.Kind.RECORDING,
        )
    return asset, starts


def _two_channel_call(
    folder: Path, script: list[Line]
) -> tuple[list[str], list[tuple[float, float]]]:
    """ffmpeg arguments for a call as dialers export it: the rep on the left
    channel, the buyer on the right, each a little audible on the other's channel,
    over a quiet line noise. espeak-ng speaks where installed, the stand-in voice of
    media.dialogue where not: both give the metrics the scripts are written for."""
    built = dialogue.build_dialogue(
        [
            dialogue.Turn(0 if speaker == "rep" else 1, words, PAUSE_SECONDS)
            for speaker, words in script
        ],
        bleed=0.08,
        snr_db=30,
        voices=(VOICES["rep"], VOICES["buyer"]),
    )
    wav = built.write_wav(folder / "call.wav")
    starts = [(line.start, line.end) for line in built.lines]
    return ["-i", str(wav), "-c:a", "aac", "-ac", "2"], starts


def _spoken(
    folder: Path, script: list[Line], *, first_input: int
) -> tuple[list[str], list[tuple[float, float]]]:
    """ffmpeg arguments for one audio track of the lines with a pause between
    them: espeak-ng's speech, or a tone per line without it."""
    espeak = shutil.which("espeak-ng")
    inputs: list[str] = []
    starts: list[tuple[float, float]] = []
    position = 0.0
    for index, (speaker, words) in enumerate(script):
        if espeak:
            path = folder / f"line-{index}.wav"
            subprocess.run(
                [espeak, "-v", VOICES[speaker], "-s", "165", "-w", str(path), words],
                check=True,
                timeout=60,
                capture_output=True,
            )
            with wave.open(str(path)) as speech:
                seconds = speech.getnframes() / speech.getframerate()
            inputs += ["-i", str(path)]
        else:
            seconds = max(2.0, len(words.split()) / 2.7)
            frequency = 220 if speaker == "rep" else 330
            inputs += [
                "-f", "lavfi", "-i",
                f"sine=frequency={frequency}:sample_rate=22050:duration={seconds:.2f}",
            ]  # fmt: skip
        starts.append((position, position + seconds))
        position += seconds + PAUSE_SECONDS
    padded = "".join(
        f"[{i + first_input}:a]aresample=48000,apad=pad_dur={PAUSE_SECONDS}[a{i}];"
        for i in range(len(script))
    )
    joined = "".join(f"[a{i}]" for i in range(len(script)))
    graph = f"{padded}{joined}concat=n={len(script)}:v=0:a=1[speech]"
    return [*inputs, "-filter_complex", graph, "-map", "[speech]"], starts
