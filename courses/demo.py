"""The demo organisation's courses: "First 30 days" and the campaign courses, with
real lesson text (demo_content.py), a generated lesson video, and reps at different
stages of progress."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from wagtail.models import Page

from courses import demo_content as content
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

# Who has completed which onboarding courses (by position in the path).
PROGRESS = {
    "Maya Chen": 2,
    "Luis Ortega": 1,
    "Grace Adeyemi": 6,
    "Jonas Weber": 6,
    "Sofia Marquez": 6,
}
# Due days after the start date, and whether a step waits for the previous one.
STEP_DUE_DAYS = [3, 7, 12, 18, 24, 30]
STEP_LOCKED = [False, False, True, True, True, False]
VIDEO_INPUTS = [
    "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=15",
    "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=48000:duration=15",
]  # fmt: skip


def seed_courses(log: Log) -> None:
    index = _course_index()
    author = User.objects.get(email=demo_email("Priya Nair"))
    courses = [
        _course(index, course, author)
        for course in [
            *content.ONBOARDING_COURSES,
            content.PRODUCT_UPDATE_COURSE,
            content.PRIVACY_REFRESHER_COURSE,
        ]
    ]
    for name, done in PROGRESS.items():
        user = User.objects.get(email=demo_email(name))
        for course in courses[:done]:
            for lesson in course.lessons():
                if lesson.step_kind:
                    continue  # quizzes and practice are passed, not marked read
                LessonCompletion.objects.get_or_create(
                    user=user,
                    lesson=lesson,
                    defaults={"how": _how(lesson)},
                )
    path = _onboarding_path(courses[: len(content.ONBOARDING_COURSES)])
    _campaigns(update=courses[-2], privacy=courses[-1])
    assigned = 0
    for rep in User.objects.filter(team__isnull=False):
        assigned += len(paths_assign_by_rules(user=rep))
    log(
        f"  {len(courses)} courses, {LessonPage.objects.count()} lessons, "
        f"path “{path}” assigned to {assigned} more people"
    )


def _campaigns(*, update: CoursePage, privacy: CoursePage) -> None:
    """A monthly "Product update" (the newest course tagged product-update) and a
    yearly privacy refresher that must be done again each year."""
    if not update.tags.filter(name="product-update").exists():
        update.tags.add("product-update")
        update.save_revision().publish()
    today = timezone.localdate()
    TrainingCampaign.objects.get_or_create(
        title="Product update",
        defaults={
            # Monthly from five days ago, so that the current cycle is under way.
            "starts_on": today - dt.timedelta(days=5),
            "frequency": TrainingCampaign.Frequency.MONTHLY,
            "newest_with_tag": "product-update",
            "due_days": 30,
        },
    )
    TrainingCampaign.objects.get_or_create(
        title="Data privacy refresher",
        defaults={
            "starts_on": today - dt.timedelta(days=20),
            "frequency": TrainingCampaign.Frequency.YEARLY,
            "course": privacy,
            "due_days": 60,
            "for_coaches": True,
            "for_managers": True,
        },
    )
    campaigns_materialise()


def _onboarding_path(courses: list[CoursePage]) -> LearningPath:
    path = LearningPath.objects.filter(title=content.ONBOARDING_PATH_TITLE).first()
    if path is not None:
        return path
    path = LearningPath(
        title=content.ONBOARDING_PATH_TITLE,
        description="Everything a new Northwind seller needs in the first month.",
    )
    steps = zip(courses, STEP_DUE_DAYS, STEP_LOCKED, strict=True)
    for order, (course, days, locked) in enumerate(steps):
        path.steps.add(
            PathStep(
                course=course, due_offset_days=days, locked=locked, sort_order=order
            )
        )
    for region in Team.get_root_nodes():
        path.rules.add(PathRule(team=region))
    path.save()
    return path


def _course_index() -> CourseIndexPage:
    existing = CourseIndexPage.objects.first()
    if existing is not None:
        return existing
    home = Page.objects.get(depth=2).specific
    return home.add_child(
        instance=CourseIndexPage(
            title="Courses",
            slug="courses",
            intro="<p>Everything Northwind teaches its sellers, from day one on.</p>",
        )
    )


def _course(
    index: CourseIndexPage, course: content.DemoCourse, author: User
) -> CoursePage:
    page = CoursePage.objects.child_of(index).filter(title=course.title).first()
    if page is None:
        page = index.add_child(
            instance=CoursePage(
                title=course.title,
                summary=course.summary,
                estimated_minutes=course.estimated_minutes,
            )
        )
    for lesson in course.lessons:
        if not LessonPage.objects.child_of(page).filter(title=lesson.title).exists():
            page.add_child(
                instance=LessonPage(title=lesson.title, body=_body(lesson, author))
            )
    return page


def _body(lesson: content.DemoLesson, author: User) -> list[tuple[str, object]]:
    blocks: list[tuple[str, object]] = []
    for kind, value in lesson.body:
        if kind == "video":
            blocks.append(
                ("video", {"video": _lesson_video(str(value), author), "caption": ""})
            )
        else:
            blocks.append((kind, value))
    return blocks


def _lesson_video(title: str, author: User) -> MediaAsset:
    existing = MediaAsset.objects.filter(
        kind=MediaAsset.Kind.LESSON_VIDEO, title=title, status=MediaAsset.Status.READY
    ).first()
    return existing or generated_asset(
        owner=author,
        title=title,
        filename="demo-skills.mp4",
        ffmpeg_inputs=VIDEO_INPUTS,
        kind=MediaAsset.Kind.LESSON_VIDEO,
    )


def _how(lesson: LessonPage) -> str:
    return LessonCompletion.How.WATCHED if lesson.video else LessonCompletion.How.READ
