"""The events Onramp sends to webhooks, and what each carries.

Every payload is `{"id", "type", "timestamp", "version", "data"}`: `timestamp` is
when the event happened, `version` grows with every change of the resource (drop an
event whose version is lower than one you already have: delivery order is not
promised), and `data` is the resource as the REST API shows it.
"""

from __future__ import annotations

from typing import Any

EVENT_TYPES = [
    "person.created",
    "person.updated",
    "person.deactivated",
    "assignment.created",
    "assignment.completed",
    "assignment.overdue",
    "course.completed",
    "quiz_attempt.graded",
    "review.submitted",
    "certificate.issued",
    "certificate.revoked",
    "certificate.expired",
    "outcomes.imported",
]


def person_data(user_id: int) -> tuple[dict[str, Any], int] | None:
    from integrations.api.people import PersonSerializer
    from integrations.models import version_of
    from integrations.selectors import people_annotated
    from lms.accounts.models import User

    person = people_annotated(User.objects.filter(pk=user_id)).first()
    if person is None:
        return None
    return dict(PersonSerializer(person).data), version_of(
        getattr(person, "updated_at")  # noqa: B009 - an annotation
    )


def assignment_data(assignment_id: int) -> tuple[dict[str, Any], int] | None:
    from courses.models import Assignment
    from integrations.api.learning import AssignmentSerializer, assignments_annotated
    from integrations.models import version_of

    assignment = assignments_annotated(
        Assignment.objects.filter(pk=assignment_id)
    ).first()
    if assignment is None:
        return None
    return dict(AssignmentSerializer(assignment).data), version_of(
        getattr(assignment, "updated_at")  # noqa: B009
    )


def certificate_data(certificate_id: int) -> tuple[dict[str, Any], int] | None:
    from certificates.models import Certificate
    from integrations.api.records import CertificateSerializer, certificates_annotated
    from integrations.models import version_of

    certificate = certificates_annotated(
        Certificate.objects.filter(pk=certificate_id)
    ).first()
    if certificate is None:
        return None
    return dict(CertificateSerializer(certificate).data), version_of(
        getattr(certificate, "updated_at")  # noqa: B009
    )


def review_data(review_id: int) -> tuple[dict[str, Any], int] | None:
    from integrations.api.records import ReviewList, ReviewSerializer
    from integrations.models import version_of

    review = ReviewList().records().filter(pk=review_id).first()
    if review is None or review.submitted_at is None:
        return None
    return dict(ReviewSerializer(review).data), version_of(review.submitted_at)


def quiz_attempt_data(attempt_id: int) -> tuple[dict[str, Any], int] | None:
    from integrations.api.learning import QuizAttemptSerializer, graded_attempts
    from integrations.models import version_of

    attempt = graded_attempts().filter(pk=attempt_id).first()
    if attempt is None or attempt.closed_at is None:
        return None
    return dict(QuizAttemptSerializer(attempt).data), version_of(attempt.closed_at)


def course_completion_data(completion_id: int) -> tuple[dict[str, Any], int] | None:
    from integrations.api.learning import CompletionSerializer
    from integrations.models import CourseCompletion, version_of

    completion = CourseCompletion.objects.filter(pk=completion_id).first()
    if completion is None:
        return None
    return dict(CompletionSerializer(completion).data), version_of(
        completion.completed_at
    )
