"""The demo organisation's courses: "First 30 days" and the campaign courses, with
real lesson text (demo_content.py), a generated lesson video, and reps at different
stages of progress."""

from __future__ import annotations

from wagtail.models import Page

from courses import demo_content as content
from courses.models import CourseIndexPage, CoursePage, LessonCompletion, LessonPage
from lms.accounts.demo import demo_email
from lms.accounts.models import User
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
                LessonCompletion.objects.get_or_create(
                    user=user,
                    lesson=lesson,
                    defaults={"how": _how(lesson)},
                )
    log(f"  {len(courses)} courses, {LessonPage.objects.count()} lessons")


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
