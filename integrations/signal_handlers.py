"""What integrations does when the rest of Onramp changes or announces something:
keep people's versions, record course completions, revoke a deactivated person's
tokens, and turn it all into webhook events."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_init, post_save
from django.utils import timezone

from integrations.announcements import LOOK_BACK, assignment_announce
from integrations.models import CourseCompletion, PersonVersion
from integrations.webhooks import events
from integrations.webhooks.services import event_after_commit
from lms.accounts.models import Team, User
from lms.accounts.signals import user_team_changed


def _person_of(data: dict[str, Any]) -> list[int]:
    return [data["person"]] if isinstance(data.get("person"), int) else []


def _the_person(data: dict[str, Any]) -> list[int]:
    return [data["id"]]


def person_touch(user_ids: list[int], *, event: str = "person.updated") -> None:
    """Mark people as changed now (their version moves on) and announce it."""
    now = timezone.now()
    # One statement for them all (INSERT … ON CONFLICT DO UPDATE).
    PersonVersion.objects.bulk_create(
        [PersonVersion(user_id=user_id, updated_at=now) for user_id in user_ids],
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["updated_at"],
    )
    for user_id in user_ids:
        event_after_commit(event, user_id, events.person_data, subjects=_the_person)


# Saves that change nothing an integration sees (sign-ins, passwords, sessions).
_NOT_PERSON_DATA = {"last_login", "password", "session_generation"}


def _user_loaded(sender: Any, instance: User, **kwargs: Any) -> None:
    instance._integrations_was_active = instance.is_active  # type: ignore[attr-defined]


def _user_saved(
    sender: Any, instance: User, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields and set(update_fields) <= _NOT_PERSON_DATA:
        return
    was_active = getattr(instance, "_integrations_was_active", True)
    instance._integrations_was_active = instance.is_active  # type: ignore[attr-defined]
    if created:
        person_touch([instance.pk], event="person.created")
    elif was_active and not instance.is_active:
        from integrations.tokens import api_tokens_revoke_for

        api_tokens_revoke_for(user=instance)
        person_touch([instance.pk], event="person.deactivated")
    else:
        person_touch([instance.pk])


def _team_moved(sender: Any, user: User, **kwargs: Any) -> None:
    person_touch([user.pk])


def _team_roles_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # user.managed_teams.add(team): the instance is the person
        person_touch([instance.pk])
    elif pk_set:
        person_touch(sorted(pk_set))


def _groups_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:  # user.groups.add(group): the instance is the person
        person_touch([instance.pk])
    elif pk_set:
        person_touch(sorted(pk_set))


def _assignment_saved(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw or not created:
        return
    event_after_commit(
        "assignment.created", instance.pk, events.assignment_data, subjects=_person_of
    )
    if instance.completed_at is not None:
        assignment_announce("assignment.completed", instance.pk)


def _course_completed(sender: Any, user: User, course: Any, **kwargs: Any) -> None:
    from courses.models import Assignment

    completion = CourseCompletion.objects.create(
        user=user, course=course, course_title=course.title
    )
    event_after_commit(
        "course.completed",
        completion.pk,
        events.course_completion_data,
        subjects=_person_of,
    )
    done = Assignment.objects.filter(
        user=user, completed_at__gte=timezone.now() - LOOK_BACK
    )
    for assignment_id in done.values_list("pk", flat=True):
        assignment_announce("assignment.completed", assignment_id)


def _quiz_attempt_graded(sender: Any, attempt: Any, **kwargs: Any) -> None:
    event_after_commit(
        "quiz_attempt.graded", attempt.pk, events.quiz_attempt_data, subjects=_person_of
    )


def _review_submitted(sender: Any, review: Any, **kwargs: Any) -> None:
    event_after_commit(
        "review.submitted", review.pk, events.review_data, subjects=_person_of
    )


_CERTIFICATE_EVENTS = {
    "issued": "certificate.issued",
    "issued_manually": "certificate.issued",
    "revoked": "certificate.revoked",
    "expired": "certificate.expired",
}


def _certificate_event(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    event_type = _CERTIFICATE_EVENTS.get(instance.action)
    if raw or not created or event_type is None:
        return
    event_after_commit(
        event_type,
        instance.certificate_id,
        events.certificate_data,
        subjects=_person_of,
    )


def _outcomes_imported(
    sender: Any, importer: User, people: list[int], summary: dict[str, Any], **kw: Any
) -> None:
    from integrations.webhooks.services import event_publish

    event_publish(
        event_type="outcomes.imported",
        data={"imported_by": importer.pk, "people": sorted(people), **summary},
        version=int(timezone.now().timestamp() * 1_000_000),
        subject_ids=people,
    )


LAUNCHED_REMEMBERED_SECONDS = 24 * 3600


def _xapi_lesson_opened(sender: Any, user: User, lesson: Any, **kwargs: Any) -> None:
    from integrations.xapi import statements
    from integrations.xapi.services import statement_record

    if lesson.specific_class is not None and lesson.step_kind in ("quiz", "scorm"):
        return  # quizzes and SCORM packages are launched by starting an attempt
    statement = statements.lesson_launched(user=user, lesson=lesson, at=timezone.now())
    # Opening the lesson again that day makes the same statement: the cache spares
    # the database the repeated insert (the statement's unique id still makes it once).
    if statement is not None and cache.add(
        f"xapi-stored:{statement.statement_id}", True, LAUNCHED_REMEMBERED_SECONDS
    ):
        statement_record(statement)


def _xapi_lesson_completed(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    from integrations.xapi import statements
    from integrations.xapi.services import statement_record

    if created and not raw:
        statement_record(statements.lesson_completed(instance))


def _xapi_quiz_attempt_saved(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    from integrations.xapi import statements
    from integrations.xapi.services import statement_record

    if created and not raw:
        statement_record(statements.quiz_launched(instance))


def _xapi_quiz_attempt_graded(sender: Any, attempt: Any, **kwargs: Any) -> None:
    from integrations.xapi import statements
    from integrations.xapi.services import statement_record

    statement_record(statements.quiz_graded(attempt))


def _xapi_scorm_attempt_saved(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    from integrations.xapi import statements
    from integrations.xapi.services import statement_record

    if created and not raw:
        statement_record(statements.scorm_launched(instance))


def _xapi_sco_result_decided(sender: Any, state: Any, **kwargs: Any) -> None:
    from integrations.xapi import statements
    from integrations.xapi.services import statement_record

    statement_record(statements.sco_result(state))


def _xapi_review_submitted(sender: Any, review: Any, **kwargs: Any) -> None:
    from integrations.xapi import statements
    from integrations.xapi.services import statement_record

    statement_record(statements.review_submitted(review))


def _xapi_certificate_event(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    from integrations.xapi import statements
    from integrations.xapi.services import statement_record

    if created and not raw and instance.action in ("issued", "issued_manually"):
        statement_record(statements.certificate_earned(instance.certificate))


def connect() -> None:
    from certificates.models import CertificateEvent
    from coaching.signals import review_submitted
    from courses.models import Assignment, LessonCompletion
    from courses.quizzes.models import QuizAttempt
    from courses.quizzes.signals import quiz_attempt_graded
    from courses.scorm.models import ScormAttempt
    from courses.scorm.signals import sco_result_decided
    from courses.signals import course_completed, lesson_opened
    from dashboards.signals import outcomes_imported

    post_init.connect(_user_loaded, sender=User, dispatch_uid="integrations-user-init")
    post_save.connect(_user_saved, sender=User, dispatch_uid="integrations-user")
    user_team_changed.connect(_team_moved, dispatch_uid="integrations-team-moved")
    for through in (Team.managers.through, Team.coaches.through):
        m2m_changed.connect(
            _team_roles_changed,
            sender=through,
            dispatch_uid=f"integrations-roles-{through.__name__}",
        )
    m2m_changed.connect(
        _groups_changed, sender=User.groups.through, dispatch_uid="integrations-groups"
    )
    post_save.connect(
        _assignment_saved, sender=Assignment, dispatch_uid="integrations-assignment"
    )
    course_completed.connect(_course_completed, dispatch_uid="integrations-course")
    quiz_attempt_graded.connect(_quiz_attempt_graded, dispatch_uid="integrations-quiz")
    review_submitted.connect(_review_submitted, dispatch_uid="integrations-review")
    post_save.connect(
        _certificate_event,
        sender=CertificateEvent,
        dispatch_uid="integrations-certificate",
    )
    outcomes_imported.connect(_outcomes_imported, dispatch_uid="integrations-outcomes")
    # xAPI statements (integrations/xapi/)
    lesson_opened.connect(_xapi_lesson_opened, dispatch_uid="xapi-lesson-opened")
    post_save.connect(
        _xapi_lesson_completed, sender=LessonCompletion, dispatch_uid="xapi-completion"
    )
    post_save.connect(
        _xapi_quiz_attempt_saved, sender=QuizAttempt, dispatch_uid="xapi-attempt"
    )
    quiz_attempt_graded.connect(_xapi_quiz_attempt_graded, dispatch_uid="xapi-graded")
    post_save.connect(
        _xapi_scorm_attempt_saved, sender=ScormAttempt, dispatch_uid="xapi-scorm"
    )
    sco_result_decided.connect(_xapi_sco_result_decided, dispatch_uid="xapi-sco")
    review_submitted.connect(_xapi_review_submitted, dispatch_uid="xapi-review")
    post_save.connect(
        _xapi_certificate_event, sender=CertificateEvent, dispatch_uid="xapi-earned"
    )
