"""Coaching in the demo, loaded from coaching/demo_data/coaching.toml: the "Discovery
call" rubric, the practice "Handle the pricing objection" in "Objection handling",
and calls and practice takes in every state — spoken with espeak-ng (tones where it
is missing), sent through the real media pipeline, and reviewed through the real
services with comments at the moments they talk about.

A second step, "onboarding progress", writes each rep's onboarding history as
courses/demo_data/onboarding.toml tells it: lessons read, the practice approved and
the quiz passed for every course they finished, on the days they finished them."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
import wave
import zlib
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import imageio_ffmpeg
from django.conf import settings
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
from courses import demo as courses_demo
from courses.models import CoursePage, LearningPath, LessonCompletion, LessonPage
from courses.quizzes import demo as quizzes_demo
from courses.quizzes.models import QuizPage
from courses.selectors import lock_reason
from courses.services import assignments_recount
from lms.accounts.demo import demo_email
from lms.accounts.models import User
from lms.demo import Log
from media import dialogue
from media.demo import generated_asset
from media.models import MediaAsset

DATA_FILE = Path(__file__).resolve().parent / "demo_data" / "coaching.toml"
PAUSE_SECONDS = 0.6

Line = tuple[str, str]  # (speaker, words)


@dataclass(frozen=True)
class DemoComment:
    line: int  # the comment sits where this line starts
    kind: str
    text: str
    to_line: int | None = None  # a range, to where this line ends
    reply: str = ""  # the rep's answer, once the review is submitted


@dataclass(frozen=True)
class DemoReview:
    coach: str
    levels: tuple[int, ...]
    outcome: str
    summary: str
    comments: list[DemoComment] = field(default_factory=list)
    submit: bool = True


@dataclass(frozen=True)
class DemoCall:
    rep: str
    title: str
    script: list[Line]
    deal_stage: str = Submission.DealStage.DISCOVERY
    feedback_wanted: str = ""
    days_ago: float = 1
    review: DemoReview | None = None


@dataclass(frozen=True)
class DemoPractice:
    rep: str
    takes: list[tuple[list[Line], DemoReview | None]]
    send_last: bool = True
    days_ago: float = 0
    former_coach: str = ""


@dataclass(frozen=True)
class DemoCoaching:
    rubric: dict[str, Any]
    practice: dict[str, Any]
    practice_body: list[courses_demo.Block]
    voices: dict[str, str]
    scripts: dict[str, list[Line]]
    # A call's `style` replaces some lines of its script (by index): who does the
    # talking, which the conversation analytics then show.
    styles: dict[str, dict[int, Line]]
    calls: list[DemoCall]
    practices: dict[str, DemoPractice]
    generic_review: dict[str, Any]
    generic_levels: list[tuple[int, ...]]
    summaries: dict[str, str]
    comments: dict[str, list[DemoComment]]

    def generic_practice_review(self, rep: str, coach: str) -> DemoReview:
        """The approving review a rep's coach gives a practice take the file does
        not describe; the same levels for the same rep on every run."""
        levels = self.generic_levels[
            zlib.crc32(rep.encode()) % len(self.generic_levels)
        ]
        return _review_spec(
            {
                **self.generic_review,
                "coach": coach,
                "levels": levels,
                "outcome": "approved",
            },
            self,
        )


def load_coaching(path: Path = DATA_FILE) -> DemoCoaching:
    """coaching.toml as the demo's calls, practices and the texts they use; a
    DemoDataError names what is wrong."""
    data = courses_demo.read_toml(path)
    try:
        scripts = {
            name: [_line(line) for line in lines]
            for name, lines in data["scripts"].items()
        }
        coaching = DemoCoaching(
            rubric=data["rubric"],
            practice=data["practice"],
            practice_body=[
                courses_demo.block_from_data(block)
                for block in data["practice"]["body"]
            ],
            voices={str(k): str(v) for k, v in data["voices"].items()},
            scripts=scripts,
            styles={
                name: {int(index): _line(line) for index, line in lines.items()}
                for name, lines in data.get("styles", {}).items()
            },
            calls=[],
            practices={},
            generic_review=data["practice"]["generic_review"],
            generic_levels=[
                tuple(levels) for levels in data["practice"]["generic_levels"]
            ],
            summaries={str(k): str(v) for k, v in data["summaries"].items()},
            comments={
                name: [DemoComment(**comment) for comment in comments]
                for name, comments in data["comments"].items()
            },
        )
        coaching.calls.extend(_call_spec(call, coaching) for call in data["calls"])
        for practice in data.get("practices", []):
            spec = _practice_spec(practice, coaching)
            coaching.practices[spec.rep] = spec
    except (KeyError, TypeError, ValueError) as exc:
        raise courses_demo.DemoDataError(f"{path.name}: {exc!r}") from exc
    return coaching


def _line(line: dict[str, str]) -> Line:
    if len(line) != 1:
        raise ValueError(f"a script line has one speaker, not {sorted(line)}")
    ((speaker, words),) = line.items()
    if speaker not in ("rep", "buyer"):
        raise ValueError(f"unknown speaker {speaker!r}")
    return speaker, str(words)


def _review_spec(review: dict[str, Any], coaching: DemoCoaching) -> DemoReview:
    comments = coaching.comments[review["comments"]] if "comments" in review else []
    if "comments_count" in review:
        comments = comments[: int(review["comments_count"])]
    if review["outcome"] not in Submission.Outcome.values:
        raise ValueError(f"unknown outcome {review['outcome']!r}")
    return DemoReview(
        coach=str(review["coach"]),
        levels=tuple(int(level) for level in review["levels"]),
        outcome=str(review["outcome"]),
        summary=coaching.summaries[review["summary"]],
        comments=list(comments),
        submit=bool(review.get("submit", True)),
    )


def _call_spec(call: dict[str, Any], coaching: DemoCoaching) -> DemoCall:
    fill = {"buyer": call["buyer"], "company": call["company"]}
    lines = list(coaching.scripts[call.get("script", "discovery_call")])
    if "style" in call:
        for index, line in coaching.styles[call["style"]].items():
            lines[index] = line
    script = [(speaker, words.format(**fill)) for speaker, words in lines]
    return DemoCall(
        rep=str(call["rep"]),
        title=str(call["title"]),
        script=script,
        deal_stage=str(call.get("deal_stage", Submission.DealStage.DISCOVERY)),
        feedback_wanted=str(call.get("feedback_wanted", "")),
        days_ago=float(call["days_ago"]),
        review=_review_spec(call["review"], coaching) if "review" in call else None,
    )


def _practice_spec(practice: dict[str, Any], coaching: DemoCoaching) -> DemoPractice:
    return DemoPractice(
        rep=str(practice["rep"]),
        takes=[
            (
                coaching.scripts[take["script"]],
                _review_spec(take["review"], coaching) if "review" in take else None,
            )
            for take in practice["takes"]
        ],
        send_last=bool(practice.get("send_last", True)),
        days_ago=float(practice.get("days_ago", 0)),
        former_coach=str(practice.get("former_coach", "")),
    )


def seed_coaching(log: Log) -> None:
    coaching = load_coaching()
    rubric = _rubric(coaching)
    practice = _practice(coaching, rubric)
    made = 0
    for call in coaching.calls:
        made += _seed_call(call, rubric, coaching.voices)
    log(f"  rubric “{rubric.name}”, practice “{practice}”, {made} calls sent")


def _person(name: str) -> User | None:
    return User.objects.filter(email=demo_email(name)).first()


def _rubric(coaching: DemoCoaching) -> Rubric:
    spec = coaching.rubric
    target = (int(spec["talk_ratio_min"]), int(spec["talk_ratio_max"]))
    existing = Rubric.objects.filter(name=spec["name"]).first()
    if existing is not None:
        if existing.talk_ratio_min is None and existing.talk_ratio_max is None:
            existing.talk_ratio_min, existing.talk_ratio_max = target
            existing.save(update_fields=["talk_ratio_min", "talk_ratio_max"])
        return cast(Rubric, existing)
    rubric = Rubric(
        name=spec["name"],
        description=spec["description"],
        pass_threshold=Decimal(spec["pass_threshold"]),
        talk_ratio_min=target[0],
        talk_ratio_max=target[1],
    )
    for order, criterion in enumerate(spec["criteria"]):
        rubric.criteria.add(
            RubricCriterion(
                name=criterion["name"],
                description=criterion["description"],
                weight=int(criterion["weight"]),
                sort_order=order,
                **{
                    f"level_{n}": text
                    for n, text in enumerate(criterion["levels"], start=1)
                },
            )
        )
    rubric.save()
    return rubric


def _practice(coaching: DemoCoaching, rubric: Rubric) -> PracticePage:
    spec = coaching.practice
    catalogue = courses_demo.load_catalogue()
    course = CoursePage.objects.get(title=catalogue.courses[spec["course"]].title)
    existing = PracticePage.objects.child_of(course).filter(title=spec["title"])
    if existing.exists():
        return cast(PracticePage, existing.get())
    author = User.objects.get(email=demo_email("Priya Nair"))
    page = courses_demo.publish_as_author(
        course,
        PracticePage(
            title=spec["title"],
            body=coaching.practice_body,
            prompt=spec["prompt"],
            rubric=rubric,
            max_seconds=int(spec["max_seconds"]),
            max_takes=int(spec["max_takes"]),
            allow_upload=True,
            self_review=True,
        ),
        author,
    )
    practice = cast(PracticePage, PracticePage.objects.get(pk=page.pk))
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


def _seed_call(call: DemoCall, rubric: Rubric, voices: dict[str, str]) -> int:
    rep = _person(call.rep)
    if rep is None or Submission.objects.filter(rep=rep, title=call.title).exists():
        return 0
    asset, starts = _two_channel_call(rep, call.title, call.script, voices)
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
        _review(take, call.review, starts, reviewed_at=sent + dt.timedelta(hours=20))
    return 1


def seed_onboarding(log: Log) -> None:
    """Each rep's onboarding history, course by course, as onboarding.toml tells it;
    reps who already have some are left as they are."""
    catalogue = courses_demo.load_catalogue()
    story = courses_demo.load_onboarding_story()
    quizzes = quizzes_demo.load_quizzes()
    coaching = load_coaching()
    learning_path = LearningPath.objects.get(title=catalogue.path_title)
    courses = [CoursePage.objects.get(title=c.title) for c in catalogue.onboarding]
    for course in courses:  # their quizzes and practice count from now on
        assignments_recount(course=course)
    reps = list(User.objects.filter(team__isnull=False, is_active=True).order_by("pk"))
    unknown = set(story) - {rep.full_name for rep in reps}
    if unknown:
        raise courses_demo.DemoDataError(
            f"onboarding.toml names no demo rep: {', '.join(sorted(unknown))}"
        )
    practice = PracticePage.objects.get(title=coaching.practice["title"])
    lessons = LessonPage.objects.filter(
        pk__in=[lesson.pk for course in courses for lesson in course.lessons()]
    )
    finished = 0
    with spoken_tracks(coaching) as speak:
        for rep in reps:
            if LessonCompletion.objects.filter(user=rep, lesson__in=lessons).exists():
                continue
            today = timezone.localdate(timezone=zoneinfo.ZoneInfo(rep.time_zone))
            plan = courses_demo.onboarding_plan(
                days_since_start=(today - (rep.start_date or today)).days,
                steps=catalogue.steps,
                entry=story.get(rep.full_name, {}),
            )
            for index, day in enumerate(plan.finished_on_days):
                course, key = courses[index], catalogue.steps[index].course
                finish = courses_demo.demo_moment(rep, day)
                has_practice = practice.get_parent().pk == course.pk
                spec = coaching.practices.get(rep.full_name)
                sent = spec is not None and spec.send_last and has_practice
                takes = len(spec.takes) if spec is not None and sent else 1
                begin = finish - dt.timedelta(hours=20, days=2 * (takes - 1))
                courses_demo.course_read(user=rep, course=course, when=begin)
                if has_practice:
                    _practice_approved(rep, practice, coaching, begin, speak)
                quiz = QuizPage.objects.child_of(course).live().first()
                if quiz is not None:
                    quizzes_demo.quiz_pass(
                        person=rep,
                        quiz=quiz,
                        when=finish,
                        fail_first=quizzes.quirk(rep.full_name, "failed_first", key),
                        miss_one=quizzes.quirk(rep.full_name, "missed_one", key),
                    )
                finished += 1
            courses_demo.onboarding_dates_settle(user=rep, learning_path=learning_path)
        for spec in coaching.practices.values():
            if not spec.send_last:
                _practice_in_progress(spec, practice, speak, log)
    log(f"  {finished} onboarding courses finished by {len(reps)} reps")


def _practice_approved(
    rep: User,
    practice: PracticePage,
    coaching: DemoCoaching,
    begin: dt.datetime,
    speak: Speaker,
) -> None:
    """The rep's takes of the practice, as the file describes them or else one take
    their coach approves: each sent two days after the one before, reviewed within
    the day."""
    spec = coaching.practices.get(rep.full_name)
    if spec is None or not spec.send_last:
        coach = _routed_coach(rep)
        spec = DemoPractice(
            rep=rep.full_name,
            takes=[
                (
                    coaching.scripts["pitch"],
                    coaching.generic_practice_review(rep.full_name, coach.full_name),
                )
            ],
        )
        video = False  # an uploaded audio file
    else:
        video = True
    former = _person(spec.former_coach) if spec.former_coach else None
    if former is not None and rep.team is not None:
        # The coach the team had then reviews; the team's coaches stay as they are.
        rep.team.coaches.add(former)
    sent = begin + dt.timedelta(hours=2)
    for number, (script, review) in enumerate(spec.takes, start=1):
        take = _take(rep, practice, number, script, review, speak, video=video)
        submission = services.take_send(take=take.take, user=rep)
        _backdate(submission, take.take, sent)
        if review is not None:
            _review(
                take.take,
                review,
                take.starts,
                reviewed_at=sent + dt.timedelta(hours=14),
            )
        sent += dt.timedelta(days=2)
    if former is not None and rep.team is not None:
        rep.team.coaches.remove(former)


def _practice_in_progress(
    spec: DemoPractice, practice: PracticePage, speak: Speaker, log: Log
) -> None:
    rep = _person(spec.rep)
    if rep is None or Submission.objects.filter(rep=rep, practice=practice).exists():
        return
    locked = lock_reason(
        user=rep, course=CoursePage.objects.get(pk=practice.get_parent().pk)
    )
    if locked:
        log(f"  no practice for {spec.rep}: {locked}")
        return
    recorded = timezone.now() - dt.timedelta(days=spec.days_ago)
    for number, (script, review) in enumerate(spec.takes, start=1):
        take = _take(rep, practice, number, script, review, speak, video=True)
        Take.objects.filter(pk=take.take.pk).update(created_at=recorded)


@dataclass(frozen=True)
class _RecordedTake:
    take: Take
    starts: list[tuple[float, float]]


def _take(
    rep: User,
    practice: PracticePage,
    number: int,
    script: list[Line],
    review: DemoReview | None,
    speak: Speaker,
    *,
    video: bool,
) -> _RecordedTake:
    """A take recorded and self-reviewed (not sent) through the services."""
    title = f"{practice.title}, take {number}"
    asset, starts = _recording(rep, title, script, speak, video=video)
    take = services.practice_take_add(rep=rep, practice=practice, asset=asset)
    if practice.self_review:
        level = 4 if review is None or review.outcome == "approved" else 3
        services.self_review_save(
            take=take,
            user=rep,
            levels={
                criterion.pk: level for criterion in practice.rubric.criteria.all()
            },
        )
    return _RecordedTake(take, starts)


def _routed_coach(rep: User) -> User:
    from coaching.permissions import coaches_to_choose

    coach = coaches_to_choose(rep).order_by("pk").first()
    if coach is None:
        raise courses_demo.DemoDataError(
            f"{rep.full_name} has no coach to approve their practice: name a "
            "former_coach for them under [[practices]] in coaching.toml."
        )
    return coach


def _review(
    take: Take,
    demo: DemoReview,
    starts: list[tuple[float, float]],
    *,
    reviewed_at: dt.datetime,
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
    started_at = min(reviewed_at, timezone.now()) - dt.timedelta(hours=3)
    Review.objects.filter(pk=review.pk).update(started_at=started_at)
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
    submitted_at = min(reviewed_at, timezone.now() - dt.timedelta(minutes=30))
    Review.objects.filter(pk=review.pk).update(submitted_at=submitted_at)
    submission = take.submission
    if submission.practice_id is not None and demo.outcome == "approved":
        LessonCompletion.objects.filter(
            user=submission.rep,
            lesson_id=submission.practice_id,
            how=LessonCompletion.How.PRACTICE_APPROVED,
        ).update(completed_at=submitted_at)
    rep = submission.rep
    for comment in review.comments.filter(parent__isnull=True).order_by(
        "start_seconds"
    ):
        answer = next((c.reply for c in demo.comments if c.text == comment.text), "")
        if answer:
            services.comment_add(take=take, author=rep, text=answer, parent=comment)


def _backdate(submission: Submission, take: Take, sent: dt.datetime) -> None:
    """Demo history: the request as if sent `sent`, due by the turnaround."""
    due = sent + dt.timedelta(hours=settings.COACHING_TURNAROUND_HOURS)
    Submission.objects.filter(pk=submission.pk).update(
        created_at=min(submission.created_at, sent), requested_at=sent, due_at=due
    )
    Take.objects.filter(pk=take.pk).update(created_at=sent, sent_at=sent)


# Recordings: each script spoken once per seed, then recorded as often as needed and
# sent through the pipeline.

Speaker = Callable[[list[Line]], tuple[Path, list[tuple[float, float]]]]


@contextmanager
def spoken_tracks(coaching: DemoCoaching) -> Iterator[Speaker]:
    """A speaker: the WAV track of a script and where each line starts and ends
    (seconds), made once per script while the context lasts."""
    made: dict[tuple[Line, ...], tuple[Path, list[tuple[float, float]]]] = {}
    with tempfile.TemporaryDirectory(prefix="onramp-coaching-") as folder:

        def speak(script: list[Line]) -> tuple[Path, list[tuple[float, float]]]:
            key = tuple(script)
            if key not in made:
                work = Path(folder) / f"script-{len(made)}"
                work.mkdir()
                arguments, starts = _spoken(
                    work, script, first_input=0, voices=coaching.voices
                )
                track = work / "track.wav"
                subprocess.run(
                    [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-loglevel",
                     "error", *arguments, str(track)],
                    check=True,
                    timeout=120,
                )  # fmt: skip
                made[key] = (track, starts)
            return made[key]

        yield speak


def _recording(
    owner: User, title: str, script: list[Line], speak: Speaker, *, video: bool
) -> tuple[MediaAsset, list[tuple[float, float]]]:
    """A recording of the script and where each line starts and ends (seconds)."""
    track, starts = speak(script)
    if video:
        inputs = [
            "-f", "lavfi", "-i", "color=c=0x1f4fbf:size=640x360:rate=25",
            "-i", str(track), "-map", "0:v", "-map", "1:a", "-c:v", "libx264",
            "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac",
        ]  # fmt: skip
    else:
        inputs = ["-i", str(track), "-c:a", "aac"]
    asset = generated_asset(
        owner=owner,
        title=title,
        filename="take.mp4" if video else "call.m4a",
        ffmpeg_inputs=inputs,
        kind=MediaAsset.Kind.RECORDING,
    )
    return asset, starts


def _two_channel_call(
    owner: User, title: str, script: list[Line], voices: dict[str, str]
) -> tuple[MediaAsset, list[tuple[float, float]]]:
    """A call recording of the script, and where each line starts and ends."""
    built = call_dialogue(script, voices)
    with tempfile.TemporaryDirectory(prefix="onramp-coaching-") as folder:
        wav = built.write_wav(Path(folder) / "call.wav")
        asset = generated_asset(
            owner=owner,
            title=title,
            filename="call.m4a",
            ffmpeg_inputs=["-i", str(wav), "-c:a", "aac", "-ac", "2"],
            kind=MediaAsset.Kind.RECORDING,
        )
    return asset, [(line.start, line.end) for line in built.lines]


def call_dialogue(script: list[Line], voices: dict[str, str]) -> dialogue.Dialogue:
    """A call as dialers export it: the rep on the left channel, the buyer on the
    right, each a little audible on the other's channel, over a quiet line noise.
    espeak-ng speaks where installed, the stand-in voice of media.dialogue where
    not: both give the metrics the scripts are written for."""
    return dialogue.build_dialogue(
        [
            dialogue.Turn(0 if speaker == "rep" else 1, words, PAUSE_SECONDS)
            for speaker, words in script
        ],
        bleed=0.08,
        snr_db=30,
        voices=(voices["rep"], voices["buyer"]),
    )


def _spoken(
    folder: Path, script: list[Line], *, first_input: int, voices: dict[str, str]
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
                [espeak, "-v", voices[speaker], "-s", "165", "-w", str(path), words],
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
