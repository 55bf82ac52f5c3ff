"""The demo organisation's courses, loaded from data files (courses/demo_data/): the
onboarding path "First 30 days", the campaign courses and their campaigns. Pages are
created the way an author does it in the Wagtail admin (a revision by Priya Nair,
then published), so the page signals and assignment recounts run as they do for real
content."""

from __future__ import annotations

import calendar
import datetime as dt
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page

from courses.models import (
    Assignment,
    CourseIndexPage,
    CoursePage,
    LearningPath,
    LessonCompletion,
    LessonPage,
    PathRule,
    PathStep,
    TrainingCampaign,
)
from courses.services import (
    campaigns_materialise,
    lesson_complete,
    page_translation_publish,
    paths_assign_by_rules,
)
from lms.accounts.demo import demo_email
from lms.accounts.models import Team, User
from lms.demo import Log
from lms.pages import in_source_language
from media.demo import generated_asset
from media.models import MediaAsset

DATA_DIR = Path(__file__).resolve().parent / "demo_data"
CALLOUTS = ("tip", "warning")
VIDEO_INPUTS = [
    "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=15",
    "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=48000:duration=15",
]  # fmt: skip

Block = tuple[str, Any]


class DemoDataError(Exception):
    """A demo data file that cannot be loaded; the message names the file and why."""


@dataclass(frozen=True)
class DemoLesson:
    title: str
    body: list[Block]


@dataclass(frozen=True)
class DemoCourse:
    """One course file: `key` is its file name without .toml."""

    key: str
    title: str
    summary: str
    estimated_minutes: int
    lessons: list[DemoLesson]
    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DemoStepSpec:
    course: str
    due_days: int
    locked: bool


@dataclass(frozen=True)
class DemoCatalogue:
    index_intro: str
    path_title: str
    path_description: str
    steps: list[DemoStepSpec]
    campaigns: list[dict[str, Any]]
    courses: dict[str, DemoCourse]

    @property
    def onboarding(self) -> list[DemoCourse]:
        return [self.courses[step.course] for step in self.steps]


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as data:
            return tomllib.load(data)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DemoDataError(f"{path.name}: {exc}") from exc


def load_course(path: Path, *, today: dt.date | None = None) -> DemoCourse:
    """A course file as a DemoCourse; DemoDataError says what is wrong with it. A
    title may name the current month ("Product update: {month}"), so the demo's
    newest product update is this month's whenever it is seeded."""
    data = read_toml(path)
    today = today or timezone.localdate()
    month = f"{calendar.month_name[today.month]} {today.year}"
    try:
        return DemoCourse(
            key=path.stem,
            title=str(data["title"]).format(month=month),
            summary=str(data["summary"]),
            estimated_minutes=int(data["estimated_minutes"]),
            tags=[str(tag) for tag in data.get("tags", [])],
            lessons=lessons_from_data(data),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DemoDataError(f"{path.name}: {exc!r}") from exc


@dataclass(frozen=True)
class DemoCourseTranslation:
    """A course file's translation (demo_data/translations/<language>/<key>.toml):
    the course's title and summary, and its lessons' titles and bodies in order."""

    key: str
    language: str
    title: str
    summary: str
    lessons: list[DemoLesson]


@dataclass(frozen=True)
class DemoIndexTranslation:
    """The course index's translation (demo_data/translations/<language>/
    catalogue.toml): its title and introduction."""

    language: str
    title: str
    intro: str


INDEX_TRANSLATION_FILE = "catalogue.toml"


def load_index_translations(
    folder: Path = DATA_DIR / "translations",
) -> list[DemoIndexTranslation]:
    translations = []
    for path in sorted(folder.glob(f"*/{INDEX_TRANSLATION_FILE}")):
        data = read_toml(path)
        try:
            translations.append(
                DemoIndexTranslation(
                    language=path.parent.name,
                    title=str(data["index_title"]),
                    intro=str(data["index_intro"]),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise DemoDataError(f"{path.name}: {exc!r}") from exc
    return translations


def load_course_translations(
    folder: Path = DATA_DIR / "translations",
) -> list[DemoCourseTranslation]:
    translations = []
    for path in sorted(folder.glob("*/*.toml")):
        if path.name == INDEX_TRANSLATION_FILE:
            continue
        data = read_toml(path)
        try:
            translations.append(
                DemoCourseTranslation(
                    key=path.stem,
                    language=path.parent.name,
                    title=str(data["title"]),
                    summary=str(data["summary"]),
                    lessons=lessons_from_data(data),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise DemoDataError(f"{path.name}: {exc!r}") from exc
    return translations


def lessons_from_data(data: dict[str, Any]) -> list[DemoLesson]:
    """A course file's lessons (a course's or its translation's), in order."""
    return [
        DemoLesson(
            title=str(lesson["title"]),
            body=[block_from_data(block) for block in lesson["body"]],
        )
        for lesson in data["lessons"]
    ]


def block_from_data(block: dict[str, Any]) -> Block:
    """One body block of a data file as a StreamField block (kind, value)."""
    if len(block) != 1:
        raise ValueError(f"a block has one key, not {sorted(block)}")
    ((kind, value),) = block.items()
    if kind == "paragraph":
        # Line breaks in the file are for people reading it, not part of the text.
        return kind, "".join(line.strip() for line in str(value).splitlines())
    if kind in CALLOUTS:
        return "callout", {"kind": kind, "text": str(value)}
    if kind in ("heading", "video"):
        return kind, str(value)
    raise ValueError(f"unknown block {kind!r}")


def load_catalogue(
    folder: Path = DATA_DIR, *, today: dt.date | None = None
) -> DemoCatalogue:
    """The catalogue file and every course file of the demo."""
    data = read_toml(folder / "catalogue.toml")
    courses = {
        path.stem: load_course(path, today=today)
        for path in sorted((folder / "courses").glob("*.toml"))
    }
    try:
        steps = [
            DemoStepSpec(
                str(step["course"]), int(step["due_days"]), bool(step.get("locked"))
            )
            for step in data["path"]["steps"]
        ]
        catalogue = DemoCatalogue(
            index_intro=str(data["index_intro"]),
            path_title=str(data["path"]["title"]),
            path_description=str(data["path"]["description"]),
            steps=steps,
            campaigns=list(data.get("campaigns", [])),
            courses=courses,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DemoDataError(f"catalogue.toml: {exc!r}") from exc
    named = {step.course for step in steps} | {
        str(c["course"]) for c in catalogue.campaigns if "course" in c
    }
    missing = sorted(named - set(courses))
    if missing:
        raise DemoDataError(
            f"catalogue.toml names courses with no file: {', '.join(missing)}"
        )
    # The catalogue lists the path's courses first, in its order, then the others.
    order = [step.course for step in steps]
    order += [key for key in courses if key not in order]
    return replace(catalogue, courses={key: courses[key] for key in order})


def seed_courses(log: Log) -> None:
    catalogue = load_catalogue()
    author = User.objects.get(email=demo_email("Priya Nair"))
    index = _course_index(catalogue, author)
    pages = {
        key: _course(index, course, author) for key, course in catalogue.courses.items()
    }
    path = _onboarding_path(catalogue, pages)
    _campaigns(catalogue, pages)
    assigned = 0
    # Reps who never had onboarding get their team's paths (a finished path is not
    # given again when seed_demo runs again).
    onboarded = Assignment.objects.filter(reason=Assignment.Reason.ONBOARDING)
    for rep in User.objects.filter(team__isnull=False).exclude(
        pk__in=onboarded.values("user_id")
    ):
        assigned += len(paths_assign_by_rules(user=rep))
    translated = _index_translations(index, author)
    translated += _course_translations(catalogue, pages, author)
    log(
        f"  {len(pages)} courses, {LessonPage.objects.count()} lessons, "
        f"path “{path}” assigned to {assigned} more people, "
        f"{translated} pages translated"
    )


def _is_translated(page: Page, language: str) -> bool:
    """Whether `page` has a translation into `language`. A copy that wagtail-localize
    made as the parent of a translated page (an alias, following the source) is not
    one: the course index gets one when its first course is translated."""
    return (
        page.get_translations()
        .filter(locale__language_code=language, alias_of__isnull=True)
        .exists()
    )


def _index_translations(index: CourseIndexPage, author: User) -> int:
    """Translate the course index where a translation file says how, so that the
    catalogue and the breadcrumb of a translated course read in that language; a
    translation made before (by the demo or an editor) is left as it is."""
    made = 0
    for translation in load_index_translations():
        if _is_translated(index, translation.language):
            continue
        page_translation_publish(
            page=index,
            language=translation.language,
            fields={"title": translation.title, "intro": translation.intro},
            user=author,
        )
        made += 1
    return made


def _course_translations(
    catalogue: DemoCatalogue, pages: dict[str, CoursePage], author: User
) -> int:
    """Translate the courses that have a translation file, through wagtail-localize;
    a page already translated into that language keeps its translation."""
    made = 0
    for translation in load_course_translations():
        course = pages.get(translation.key)
        if course is None:
            raise DemoDataError(
                f"translations/{translation.language}/{translation.key}.toml: "
                "no such course"
            )
        lessons = list(course.lessons())
        source = catalogue.courses[translation.key]
        if len(translation.lessons) != len(source.lessons):
            raise DemoDataError(
                f"translations/{translation.language}/{translation.key}.toml: "
                f"{len(translation.lessons)} lessons, the course has "
                f"{len(source.lessons)}"
            )
        wanted: list[tuple[Page, dict[str, Any]]] = [
            (course, {"title": translation.title, "summary": translation.summary})
        ]
        by_title = {lesson.title: lesson for lesson in lessons}
        for source_lesson, translated in zip(
            source.lessons, translation.lessons, strict=True
        ):
            wanted.append(
                (
                    by_title[source_lesson.title],
                    {
                        "title": translated.title,
                        "body": _body(translated, author),
                    },
                )
            )
        for page, fields in wanted:
            if _is_translated(page, translation.language):
                continue
            page_translation_publish(
                page=page, language=translation.language, fields=fields, user=author
            )
            made += 1
    return made


# Onboarding history: who finished which course on which day.


@dataclass(frozen=True)
class OnboardingPlan:
    """One rep's onboarding so far: for each course of the path they finished, in
    order, the day after their start date on which they finished it."""

    finished_on_days: list[int]


def load_onboarding_story(folder: Path = DATA_DIR) -> dict[str, dict[str, int]]:
    """onboarding.toml: the reps whose onboarding differs from keeping pace."""
    path = folder / "onboarding.toml"
    data = read_toml(path)
    story: dict[str, dict[str, int]] = {}
    for name, entry in data.get("people", {}).items():
        unknown = set(entry) - {"days_late", "courses_done"}
        if unknown:
            raise DemoDataError(f"{path.name}: {name}: unknown {sorted(unknown)}")
        try:
            story[name] = {key: int(value) for key, value in entry.items()}
        except (TypeError, ValueError) as exc:
            raise DemoDataError(f"{path.name}: {name}: {exc}") from exc
    return story


def onboarding_plan(
    *, days_since_start: int, steps: list[DemoStepSpec], entry: dict[str, int]
) -> OnboardingPlan:
    """Each course is finished the day before it is due (plus `days_late`), up to
    `courses_done` courses and only on days already past."""
    finished: list[int] = []
    late = entry.get("days_late", 0)
    for step in steps[: entry.get("courses_done", len(steps))]:
        day = step.due_days - 1 + late
        if day >= days_since_start:
            break
        finished.append(day)
    return OnboardingPlan(finished_on_days=finished)


def demo_moment(user: User, days_after_start: float) -> dt.datetime:
    """Mid-afternoon UTC that many days after the person started, never later than
    an hour ago: when a demo person did something."""
    start = user.start_date or timezone.localdate()
    moment = dt.datetime.combine(start, dt.time(15, 0), tzinfo=dt.UTC)
    moment += dt.timedelta(days=days_after_start)
    return min(moment, timezone.now() - dt.timedelta(hours=1))


def course_read(*, user: User, course: CoursePage, when: dt.datetime) -> int:
    """Complete the course's reading and video lessons through the service, as the
    person did `when`. Quizzes and practice are passed, not marked read."""
    read = 0
    for lesson in course.lessons():
        if lesson.step_kind:
            continue
        completion, created = lesson_complete(
            user=user, lesson=lesson, how=_how(lesson)
        )
        if created:
            LessonCompletion.objects.filter(pk=completion.pk).update(completed_at=when)
            read += 1
    return read


def onboarding_dates_settle(*, user: User, learning_path: LearningPath) -> None:
    """The person's onboarding assignment as it happened: assigned on their first
    day, completed when they completed the path's last required step."""
    assignment = Assignment.objects.filter(
        user=user, path=learning_path, reason=Assignment.Reason.ONBOARDING
    ).first()
    if assignment is None:
        return
    assignment.assigned_at = min(assignment.assigned_at, user.date_joined)
    if assignment.completed_at is not None:
        under_any = Q()
        for step in learning_path.steps.select_related("course"):
            under_any |= Q(
                path__startswith=step.course.path, depth=step.course.depth + 1
            )
        last = (
            LessonCompletion.objects.filter(
                user=user,
                lesson__in=LessonPage.objects.filter(under_any, required=True),
            )
            .order_by("-completed_at")
            .values_list("completed_at", flat=True)
            .first()
        )
        assignment.completed_at = last or assignment.completed_at
    assignment.save(update_fields=["assigned_at", "completed_at"])


def _campaigns(catalogue: DemoCatalogue, pages: dict[str, CoursePage]) -> None:
    today = timezone.localdate()
    for spec in catalogue.campaigns:
        course = pages[spec["course"]] if "course" in spec else None
        TrainingCampaign.objects.get_or_create(
            title=spec["title"],
            defaults={
                "starts_on": today - dt.timedelta(days=int(spec["starts_days_ago"])),
                "frequency": TrainingCampaign.Frequency[spec["frequency"].upper()],
                "course": course,
                "newest_with_tag": spec.get("newest_with_tag", ""),
                "due_days": int(spec["due_days"]),
                "for_coaches": bool(spec.get("for_coaches", False)),
                "for_managers": bool(spec.get("for_managers", False)),
            },
        )
    campaigns_materialise()


def _onboarding_path(
    catalogue: DemoCatalogue, pages: dict[str, CoursePage]
) -> LearningPath:
    existing = LearningPath.objects.filter(title=catalogue.path_title).first()
    if existing is not None:
        return cast(LearningPath, existing)
    path = LearningPath(
        title=catalogue.path_title, description=catalogue.path_description
    )
    for order, step in enumerate(catalogue.steps):
        path.steps.add(
            PathStep(
                course=pages[step.course],
                due_offset_days=step.due_days,
                locked=step.locked,
                sort_order=order,
            )
        )
    for region in Team.get_root_nodes():
        path.rules.add(PathRule(team=region))
    path.save()
    return path


def publish_as_author(parent: Page, page: Page, author: User) -> Page:
    """Add and publish a page as an author does in the admin: a draft, then its
    revision published."""
    page.live = False
    page.owner = author
    parent.add_child(instance=page)
    page.save_revision(user=author, log_action=True).publish(user=author)
    page.refresh_from_db()
    return page


def _course_index(catalogue: DemoCatalogue, author: User) -> CourseIndexPage:
    existing = in_source_language(CourseIndexPage.objects.all()).first()
    if existing is not None:
        return cast(CourseIndexPage, existing)
    home = in_source_language(Page.objects.filter(depth=2)).get().specific
    index = CourseIndexPage(
        title="Courses", slug="courses", intro=catalogue.index_intro
    )
    return cast(CourseIndexPage, publish_as_author(home, index, author))


def _course(index: CourseIndexPage, course: DemoCourse, author: User) -> CoursePage:
    page = CoursePage.objects.child_of(index).filter(title=course.title).first()
    if page is None:
        new = CoursePage(
            title=course.title,
            summary=course.summary,
            estimated_minutes=course.estimated_minutes,
        )
        new.tags.add(*course.tags)
        page = publish_as_author(index, new, author)
    for lesson in course.lessons:
        if not LessonPage.objects.child_of(page).filter(title=lesson.title).exists():
            publish_as_author(
                page, LessonPage(title=lesson.title, body=_body(lesson, author)), author
            )
    return cast(CoursePage, page)


def _body(lesson: DemoLesson, author: User) -> list[Block]:
    return [
        ("video", {"video": _lesson_video(value, author), "caption": ""})
        if kind == "video"
        else (kind, value)
        for kind, value in lesson.body
    ]


def _lesson_video(title: str, author: User) -> MediaAsset:
    existing = MediaAsset.objects.filter(
        kind=MediaAsset.Kind.LESSON_VIDEO, title=title, status=MediaAsset.Status.READY
    ).first()
    return existing or generated_asset(
        owner=author,
        title=title,
        filename="lesson-video.mp4",
        ffmpeg_inputs=VIDEO_INPUTS,
        kind=MediaAsset.Kind.LESSON_VIDEO,
    )


def _how(lesson: LessonPage) -> str:
    return LessonCompletion.How.WATCHED if lesson.video else LessonCompletion.How.READ
