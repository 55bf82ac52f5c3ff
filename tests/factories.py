from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page

from certificates.models import CertificationProgram, ProgramRequirement
from coaching.models import Rubric, RubricCriterion
from courses.models import (
    CourseIndexPage,
    CoursePage,
    LearningPath,
    LessonPage,
    PathStep,
)
from courses.quizzes.models import QuizPage
from lms.accounts.models import Invitation, Team, User
from lms.accounts.roles import ENABLEMENT_ADMINS_GROUP
from lms.models import HomePage

PASSWORD = "correct horse battery"


class TeamFactory(factory.django.DjangoModelFactory[Team]):
    """A team; pass parent=<Team> for a sub-team (treebeard builds the path)."""

    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")

    @classmethod
    def _create(cls, model_class: type[Team], *args: Any, **kwargs: Any) -> Team:
        parent = kwargs.pop("parent", None)
        if parent is None:
            return model_class.add_root(**kwargs)
        return Team.objects.get(pk=parent.pk).add_child(**kwargs)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name")
    start_date = factory.LazyFunction(
        lambda: timezone.localdate() - dt.timedelta(days=10)
    )
    # Hashed before the one save (signals run once per person made).
    password = factory.django.Password(PASSWORD)


class RepFactory(UserFactory):
    team = factory.SubFactory(TeamFactory)


def make_admin(**kwargs: Any) -> User:
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get_or_create(name=ENABLEMENT_ADMINS_GROUP)[0])
    return user


def make_manager(team: Team, **kwargs: Any) -> User:
    user = UserFactory(**kwargs)
    team.managers.add(user)
    return user


def make_coach(*teams: Team, **kwargs: Any) -> User:
    user = UserFactory(**kwargs)
    for team in teams:
        team.coaches.add(user)
    return user


class InvitationFactory(factory.django.DjangoModelFactory[Invitation]):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    full_name = factory.Faker("name")
    team = factory.SubFactory(TeamFactory)
    invited_by = factory.SubFactory(UserFactory)


# Pages. Wagtail pages are created as children of a parent page (`parent=`); courses
# default to the site's course index, which `course_index()` makes on first use.


def course_index() -> CourseIndexPage:
    """The site's course index ("Courses", under the home page), made once."""
    index = CourseIndexPage.objects.first()
    if index is None:
        index = HomePage.objects.get().add_child(
            instance=CourseIndexPage(title="Courses", slug="courses")
        )
    return index


class _PageFactory(factory.django.DjangoModelFactory[Page]):
    """A page added under `parent` (a keyword every page factory takes)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class: type[Page], *args: Any, **kwargs: Any) -> Page:
        parent = kwargs.pop("parent", None) or cls._default_parent()
        return parent.add_child(instance=model_class(*args, **kwargs))

    @classmethod
    def _default_parent(cls) -> Page:
        raise TypeError(f"{cls.__name__} needs parent=<page>")


class CoursePageFactory(_PageFactory):
    """A course in the course index (or under `parent`)."""

    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"Course {n}")
    summary = "What this course teaches."

    @classmethod
    def _default_parent(cls) -> Page:
        return course_index()


class LessonPageFactory(_PageFactory):
    """A reading lesson of one paragraph; pass parent=<course>."""

    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"Lesson {n}")
    body = factory.LazyAttribute(
        lambda lesson: [("paragraph", f"<p>{lesson.title}.</p>")]
    )


class QuizPageFactory(_PageFactory):
    """A quiz step with no questions yet; pass parent=<course> and add slots."""

    class Meta:
        model = QuizPage

    title = factory.Sequence(lambda n: f"Quiz {n}")
    body = factory.LazyFunction(list)


def make_path(
    title: str, *steps: tuple[CoursePage, int], **fields: Any
) -> LearningPath:
    """A learning path of (course, due offset in days) steps, in order; a step's other
    fields as `locked={1}` (the indexes of locked steps)."""
    locked = fields.pop("locked", set())
    path = LearningPath(title=title, **fields)
    for order, (course, due_offset_days) in enumerate(steps):
        path.steps.add(
            PathStep(
                course=course,
                due_offset_days=due_offset_days,
                locked=order in locked,
                sort_order=order,
            )
        )
    path.save()
    return path


RUBRIC_CRITERIA = [
    ("Agenda setting", 20),
    ("Questioning", 30),
    ("Listening", 30),
    ("Next steps", 20),
]


def make_rubric(
    name: str = "Discovery call",
    criteria: list[tuple[str, int]] | None = None,
    pass_threshold: str = "3.00",
) -> Rubric:
    """A rubric with the given (name, weight) criteria, every level described."""
    rubric = Rubric(
        name=name,
        description="How we score discovery calls.",
        pass_threshold=Decimal(pass_threshold),
    )
    for order, (criterion, weight) in enumerate(criteria or RUBRIC_CRITERIA):
        rubric.criteria.add(
            RubricCriterion(
                name=criterion,
                weight=weight,
                sort_order=order,
                **{f"level_{n}": f"{criterion}: level {n}" for n in range(1, 6)},
            )
        )
    rubric.save()
    return rubric


def levels_for(rubric: Rubric, *levels: int) -> dict[int, int]:
    """Criterion id -> level, in the rubric's order: levels_for(rubric, 4, 3, 5, 4)."""
    criteria = list(rubric.criteria.order_by("sort_order"))
    assert len(criteria) == len(levels)
    return {
        criterion.pk: level for criterion, level in zip(criteria, levels, strict=True)
    }


def make_program(
    title: str, requirements: list[ProgramRequirement], **fields: Any
) -> CertificationProgram:
    """A certification program with its requirements, in order."""
    program = CertificationProgram(title=title, **fields)
    for order, requirement in enumerate(requirements):
        requirement.sort_order = order
        program.requirements.add(requirement)
    program.save()
    return program
