"""The demo organisation's courses, loaded from data files (courses/demo_data/): the
onboarding path "First 30 days", the campaign courses and their campaigns. Pages are
created the way an author does it in the Wagtail admin (a revision by Priya Nair,
then published), so the page signals and assignment recounts run as they do for real
content."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

from django.utils import timezone
from wagtail.models import Page

from courses.models import (
    CourseIndexPage,
    CoursePage,
    LearningPath,
    LessonCompletion,
    LessonPage,
    PathRule,
    PathStep,
    TrainingCampaign,
)
from courses.services import campaigns_materialise, paths_assign_by_rules
from lms.accounts.demo import demo_email
from lms.accounts.models import Team, User
from lms.demo import Log
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


def load_course(path: Path) -> DemoCourse:
    """A course file as a DemoCourse; DemoDataError says what is wrong with it."""
    data = read_toml(path)
    try:
        return DemoCourse(
            key=path.stem,
            title=str(data["title"]),
            summary=str(data["summary"]),
            estimated_minutes=int(data["estimated_minutes"]),
            tags=[str(tag) for tag in data.get("tags", [])],
            lessons=[
                DemoLesson(
                    title=str(lesson["title"]),
                    body=[_block(block) for block in lesson["body"]],
                )
                for lesson in data["lessons"]
            ],
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DemoDataError(f"{path.name}: {exc!r}") from exc


def _block(block: dict[str, Any]) -> Block:
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


def load_catalogue(folder: Path = DATA_DIR) -> DemoCatalogue:
    """The catalogue file and every course file of the demo."""
    data = read_toml(folder / "catalogue.toml")
    courses = {
        path.stem: load_course(path)
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


# Who has completed which onboarding courses (by position in the path).
PROGRESS = {
    "Maya Chen": 2,
    "Luis Ortega": 1,
    "Grace Adeyemi": 6,
    "Jonas Weber": 6,
    "Sofia Marquez": 6,
}


def seed_courses(log: Log) -> None:
    catalogue = load_catalogue()
    author = User.objects.get(email=demo_email("Priya Nair"))
    index = _course_index(catalogue, author)
    pages = {
        key: _course(index, course, author) for key, course in catalogue.courses.items()
    }
    onboarding = [pages[step.course] for step in catalogue.steps]
    for name, done in PROGRESS.items():
        user = User.objects.get(email=demo_email(name))
        for course in onboarding[:done]:
            for lesson in course.lessons():
                if lesson.step_kind:
                    continue  # quizzes and practice are passed, not marked read
                LessonCompletion.objects.get_or_create(
                    user=user,
                    lesson=lesson,
                    defaults={"how": _how(lesson)},
                )
    path = _onboarding_path(catalogue, pages)
    _campaigns(catalogue, pages)
    assigned = 0
    for rep in User.objects.filter(team__isnull=False):
        assigned += len(paths_assign_by_rules(user=rep))
    log(
        f"  {len(pages)} courses, {LessonPage.objects.count()} lessons, "
        f"path “{path}” assigned to {assigned} more people"
    )


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
    path = LearningPath.objects.filter(title=catalogue.path_title).first()
    if path is not None:
        return path
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
    existing = CourseIndexPage.objects.first()
    if existing is not None:
        return existing
    home = Page.objects.get(depth=2).specific
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
