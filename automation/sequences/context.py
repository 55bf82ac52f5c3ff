"""What a message's variables say for each enrolment of a batch, read in a fixed
number of queries per batch: the training, the next lesson, the manager and
coach, last activity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence as Seq
from dataclasses import dataclass, field
from functools import lru_cache, reduce
from operator import or_

from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language

from automation.sequences.links import tracked_url
from automation.sequences.models import Enrolment, ExitCondition, Sequence, Trigger
from automation.sequences.triggers import last_activity, library_item_of
from certificates.models import Certificate
from courses.models import (
    Assignment,
    CoursePage,
    LessonCompletion,
    LessonPage,
    PathStep,
)
from library.models import LibraryItem
from lms.accounts.models import Team, User
from lms.lib import clock


@dataclass
class People:
    """The teams with their managers and coaches, read once per tick: the nearest
    manager and coach of a person are found up their team's branch."""

    managers: dict[str, list[User]] = field(default_factory=dict)
    coaches: dict[str, list[User]] = field(default_factory=dict)
    team_paths: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> People:
        people = cls()
        teams = Team.objects.prefetch_related("managers", "coaches")
        for team in teams:
            people.team_paths[team.pk] = team.path
            people.managers[team.path] = [u for u in team.managers.all() if u.is_active]
            people.coaches[team.path] = [u for u in team.coaches.all() if u.is_active]
        return people

    def _nearest(self, found: dict[str, list[User]], person: User) -> User | None:
        path = self.team_paths.get(person.team_id) if person.team_id else None
        while path:
            for candidate in found.get(path, []):
                if candidate.pk != person.pk:
                    return candidate
            path = path[: -Team.steplen]
        return None

    def manager_of(self, person: User) -> User | None:
        return self._nearest(self.managers, person)

    def coach_of(self, person: User) -> User | None:
        return self._nearest(self.coaches, person)


@dataclass
class Context:
    """One enrolment's message values, its training and recipients."""

    enrolment: Enrolment
    training: Assignment | None
    manager: User | None
    coach: User | None
    next_lesson: LessonPage | None
    next_lesson_path: str
    last_activity: dt.datetime | None
    newer_certificate: bool
    # The library item of a "library item updated" occurrence: (title, its page).
    library_item: tuple[str, str] | None = None

    @property
    def progress(self) -> int:
        return self.training.progress_percent if self.training else 0

    def values(self, *, step_id: int) -> dict[str, str]:
        person = self.enrolment.user
        zone = person.time_zone
        values = {
            "first_name": person.get_short_name(),
            "full_name": person.full_name,
            "manager.name": self.manager.full_name if self.manager else "",
            "coach.name": self.coach.full_name if self.coach else "",
            "progress": f"{self.progress}%",
        }
        if self.training is not None:
            values["course.title"] = self.training.title
            values["due_date"] = _day(clock.local_date(self.training.due_at, zone))
        if self.next_lesson is not None:
            values["next_step.title"] = self.next_lesson.title
            values["next_step.url"] = self.url(step_id=step_id)
        certificate = self.enrolment.certificate
        if certificate is not None:
            values["certificate.title"] = certificate.program_title
            expires = clock.local_date(certificate.expires_at, zone)
            values["certificate.expires_on"] = _day(expires)
        if self.last_activity is not None:
            days = (clock.now() - self.last_activity).days
            values["days_inactive"] = str(days)
        if self.library_item is not None:
            title, path = self.library_item
            values["item.title"] = title
            values["item.url"] = tracked_url(
                step_id=step_id, enrolment_id=self.enrolment.pk, path=path
            )
        return values

    def url(self, *, step_id: int) -> str:
        if not self.next_lesson_path:
            return ""
        return tracked_url(
            step_id=step_id, enrolment_id=self.enrolment.pk, path=self.next_lesson_path
        )

    def goal_met(self) -> bool:
        condition = self.enrolment.sequence.exit_condition
        if condition == ExitCondition.TRAINING_COMPLETE:
            return self.training is not None and self.training.completed_at is not None
        if condition == ExitCondition.ACTIVE_AGAIN:
            since = self.enrolment.anchor_at - dt.timedelta(
                days=self.enrolment.sequence.trigger_days
            )
            return self.last_activity is not None and self.last_activity > since
        if condition == ExitCondition.CERTIFICATE_RENEWED:
            return self.newer_certificate
        return False


def _day(day: dt.date | None) -> str:
    """A date as messages write it, in the active language ("4 March 2027")."""
    return _day_in(day, get_language()) if day else ""


@lru_cache(maxsize=4096)
def _day_in(day: dt.date, language: str | None) -> str:
    # A batch's people mostly share a handful of due dates: formatting one
    # (the language's month names and formats) costs more than the rest of
    # their values.
    return date_format(day, "j F Y")


def contexts_for(enrolments: Seq[Enrolment], *, people: People) -> list[Context]:
    """The contexts of a batch of enrolments (their user, sequence and certificate
    loaded), in a fixed number of queries."""
    user_ids = [e.user_id for e in enrolments]
    trainings = _trainings(enrolments)
    lessons = _next_lessons(enrolments, trainings)
    needs_activity = any(
        e.sequence.trigger == Trigger.NO_ACTIVITY
        or e.sequence.exit_condition == ExitCondition.ACTIVE_AGAIN
        for e in enrolments
    )
    activity = last_activity(user_ids) if needs_activity else {}
    renewed = _renewed_certificates(enrolments)
    items = _library_items(enrolments)
    paths: dict[int, str] = {}
    contexts = []
    for enrolment in enrolments:
        lesson = lessons.get(enrolment.pk)
        if lesson is not None and lesson.pk not in paths:
            paths[lesson.pk] = lesson.relative_url(None) or ""
        contexts.append(
            Context(
                enrolment=enrolment,
                training=trainings.get(enrolment.pk),
                manager=people.manager_of(enrolment.user),
                coach=people.coach_of(enrolment.user),
                next_lesson=lesson,
                next_lesson_path=paths.get(lesson.pk, "") if lesson else "",
                last_activity=activity.get(enrolment.user_id),
                newer_certificate=enrolment.pk in renewed,
                library_item=items.get(library_item_of(enrolment.occurrence)),
            )
        )
    return contexts


def _library_items(enrolments: Seq[Enrolment]) -> dict[int | None, tuple[str, str]]:
    """The title and page of each library item the batch's occurrences name; one
    query, none without such occurrences."""
    ids = {pk for e in enrolments if (pk := library_item_of(e.occurrence)) is not None}
    if not ids:
        return {}
    return {
        pk: (title, reverse("library_item", args=[pk]))
        for pk, title in LibraryItem.objects.filter(pk__in=ids).values_list(
            "pk", "title"
        )
    }


def _trainings(enrolments: Seq[Enrolment]) -> dict[int | None, Assignment]:
    """Each enrolment's training: its own assignment, else the person's current
    assignment of the sequence's course or path, else their open training due
    first. One query."""
    found: dict[int | None, Assignment] = {}
    assignment_ids = [e.assignment_id for e in enrolments if e.assignment_id]
    user_ids = [e.user_id for e in enrolments if not e.assignment_id]
    query = Q(pk__in=assignment_ids)
    if user_ids:
        query |= Q(user_id__in=user_ids, unassigned_at__isnull=True)
    # Their courses are read once each, with the next lessons (_next_lessons):
    # a batch's hundreds of assignments are of a few courses, and a page read
    # with each row cost more than the rest of its context.
    rows = list(
        Assignment.objects.filter(query)
        .select_related("path")
        .order_by("completed_at", "due_at", "pk")
    )
    by_pk = {row.pk: row for row in rows}
    by_user: dict[int, list[Assignment]] = {}
    for row in rows:
        by_user.setdefault(row.user_id, []).append(row)
    for enrolment in enrolments:
        if enrolment.assignment_id:
            if enrolment.assignment_id in by_pk:
                found[enrolment.pk] = by_pk[enrolment.assignment_id]
            continue
        sequence: Sequence = enrolment.sequence
        mine = by_user.get(enrolment.user_id, [])
        if sequence.course_id or sequence.path_id:
            mine = [
                row
                for row in mine
                if (sequence.course_id and row.course_id == sequence.course_id)
                or (sequence.path_id and row.path_id == sequence.path_id)
            ]
        if mine:
            found[enrolment.pk] = mine[0]
    return found


def _next_lessons(
    enrolments: Seq[Enrolment], trainings: dict[int | None, Assignment]
) -> dict[int | None, LessonPage]:
    """Each enrolment's next lesson: the first live lesson of its training (for a
    path, in the order of its steps) the person has not completed; each training
    given its course on the way. Four queries."""
    path_ids = {t.path_id for t in trainings.values() if t.path_id}
    courses_of_path: dict[int, list[int]] = {}
    for path_id, course_id in PathStep.objects.filter(path_id__in=path_ids).values_list(
        "path_id", "course_id"
    ):
        courses_of_path.setdefault(path_id, []).append(course_id)
    course_ids: dict[int | None, list[int]] = {}
    for enrolment_pk, training in trainings.items():
        if training.path_id:
            course_ids[enrolment_pk] = courses_of_path.get(training.path_id, [])
        elif training.course_id:
            course_ids[enrolment_pk] = [training.course_id]
    wanted = {pk for ids in course_ids.values() for pk in ids}
    courses = CoursePage.objects.in_bulk(
        wanted | {t.course_id for t in trainings.values() if t.course_id}
    )
    for training in trainings.values():
        if training.course_id:
            training.course = courses[training.course_id]
    course_paths = {pk: course.path for pk, course in courses.items() if pk in wanted}
    if not course_paths:
        return {}
    lessons = list(
        LessonPage.objects.live()
        .filter(reduce(or_, (Q(path__startswith=p) for p in course_paths.values())))
        .order_by("path")
    )
    done = set(
        LessonCompletion.objects.filter(
            user_id__in={e.user_id for e in enrolments},
            lesson_id__in=[lesson.pk for lesson in lessons],
        ).values_list("user_id", "lesson_id")
    )
    found: dict[int | None, LessonPage] = {}
    users: dict[int | None, int] = {e.pk: e.user_id for e in enrolments}
    for enrolment_pk, ids in course_ids.items():
        for course_id in ids:
            prefix = course_paths.get(course_id)
            lesson = next(
                (
                    lesson
                    for lesson in lessons
                    if prefix
                    and lesson.path.startswith(prefix)
                    and (users[enrolment_pk], lesson.pk) not in done
                ),
                None,
            )
            if lesson is not None:
                found[enrolment_pk] = lesson
                break
    return found


def _renewed_certificates(enrolments: Seq[Enrolment]) -> set[int | None]:
    """The enrolments whose certificate has a newer one of the same program."""
    watched = [
        e
        for e in enrolments
        if e.certificate is not None
        and e.sequence.exit_condition == ExitCondition.CERTIFICATE_RENEWED
    ]
    if not watched:
        return set()
    newer = set(
        Certificate.objects.filter(
            user_id__in={e.user_id for e in watched},
            status=Certificate.Status.ACTIVE,
        ).values_list("user_id", "program_id", "issued_at")
    )
    latest: dict[tuple[int, int], dt.datetime] = {}
    for user_id, program_id, issued_at in newer:
        key = (user_id, program_id)
        latest[key] = max(issued_at, latest.get(key, issued_at))
    renewed: set[int | None] = set()
    for enrolment in watched:
        certificate = enrolment.certificate
        assert certificate is not None
        issued = latest.get((enrolment.user_id, certificate.program_id))
        if issued is not None and issued > certificate.issued_at:
            renewed.add(enrolment.pk)
    return renewed
