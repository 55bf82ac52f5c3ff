"""Courses, paths, assignments, completions and graded quiz attempts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest, Length, Substr
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from wagtail.models import Page

from courses.forms import AssignmentForm, managed_members
from courses.models import Assignment, CoursePage, LearningPath, LessonCompletion
from courses.quizzes.models import QuizAttempt
from courses.services import assignment_create, assignment_unassign
from integrations import scopes
from integrations.api.common import (
    PERSON,
    TEAM,
    UPDATED_SINCE,
    ApiView,
    DetailView,
    ListView,
    StrictSerializer,
)
from integrations.api.idempotency import IDEMPOTENCY_KEY, idempotent
from integrations.api.problems import problem
from integrations.models import CourseCompletion, version_of
from lms.pages import in_source_language

DECIMAL = {"max_digits": 14, "decimal_places": 2, "coerce_to_string": False}


class CourseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    slug = serializers.CharField()
    summary = serializers.CharField()
    estimated_minutes = serializers.IntegerField()
    tags = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField(source="last_published_at", allow_null=True)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, course: CoursePage) -> list[str]:
        return sorted(tag.name for tag in course.tags.all())

    def get_url(self, course: CoursePage) -> str:
        return settings.SITE_URL + (course.url or "")


def _courses() -> QuerySet[CoursePage]:
    courses: QuerySet[CoursePage] = in_source_language(
        CoursePage.objects.live()
    ).prefetch_related("tags")
    return courses


@extend_schema(parameters=[UPDATED_SINCE])
class CourseList(ListView):
    """Published courses."""

    scopes = {"GET": scopes.LEARNING_READ}
    filters = ("updated_since",)
    serializer_class = CourseSerializer

    def get_queryset(self) -> QuerySet[CoursePage]:
        courses = _courses()
        since = self.param_datetime("updated_since")
        return courses.filter(last_published_at__gte=since) if since else courses


class CourseDetail(DetailView):
    scopes = {"GET": scopes.LEARNING_READ}
    serializer_class = CourseSerializer

    def get_queryset(self) -> QuerySet[CoursePage]:
        return _courses()


class PathStepSerializer(serializers.Serializer):
    course = serializers.IntegerField(source="course_id")
    course_title = serializers.CharField(source="course.title")
    due_offset_days = serializers.IntegerField()
    locked = serializers.BooleanField()


class PathSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    steps = PathStepSerializer(many=True, source="ordered_steps")


def _paths() -> QuerySet[LearningPath]:
    from django.db.models import Prefetch

    from courses.models import PathStep

    paths: QuerySet[LearningPath] = LearningPath.objects.prefetch_related(
        Prefetch(
            "steps",
            queryset=PathStep.objects.select_related("course").order_by(
                "sort_order", "pk"
            ),
            to_attr="ordered_steps",
        )
    )
    return paths


class PathList(ListView):
    """Learning paths (such as onboarding) and their steps."""

    scopes = {"GET": scopes.LEARNING_READ}
    serializer_class = PathSerializer

    def get_queryset(self) -> QuerySet[LearningPath]:
        return _paths()


class PathDetail(DetailView):
    scopes = {"GET": scopes.LEARNING_READ}
    serializer_class = PathSerializer

    def get_queryset(self) -> QuerySet[LearningPath]:
        return _paths()


class AssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="user_id")
    path = serializers.IntegerField(source="path_id", allow_null=True)
    course = serializers.IntegerField(source="course_id", allow_null=True)
    title = serializers.CharField()
    reason = serializers.ChoiceField(choices=Assignment.Reason.choices)
    status = serializers.ChoiceField(
        choices=["not_started", "in_progress", "overdue", "completed", "withdrawn"]
    )
    progress_percent = serializers.IntegerField()
    required_done = serializers.IntegerField()
    required_total = serializers.IntegerField()
    assigned_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    withdrawn_at = serializers.DateTimeField(source="unassigned_at", allow_null=True)
    updated_at = serializers.DateTimeField()
    version = serializers.SerializerMethodField()

    def to_representation(self, instance: Assignment) -> Any:
        data = super().to_representation(instance)
        if instance.unassigned_at is not None:
            data["status"] = "withdrawn"
        return data

    @extend_schema_field(serializers.IntegerField())
    def get_version(self, assignment: Assignment) -> int:
        return version_of(getattr(assignment, "updated_at"))  # noqa: B009


def assignments_annotated(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """With `updated_at`: the latest of assigned, completed and withdrawn."""
    return assignments.select_related("path", "course").annotate(
        updated_at=Greatest(
            F("assigned_at"),
            Coalesce("completed_at", "assigned_at"),
            Coalesce("unassigned_at", "assigned_at"),
        )
    )


class PersonScoped(ListView):
    """A list of records about people, narrowed to those the token may see."""

    person_field = "user"
    filters: tuple[str, ...] = ("person", "team", "updated_since")
    updated_field = ""

    def records(self) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        people = self.people_filtered(self.visible_people())
        records = self.records().filter(**{f"{self.person_field}__in": people})
        since = self.param_datetime("updated_since")
        if since is not None:
            records = records.filter(Q(**{f"{self.updated_field}__gte": since}))
        return records


@extend_schema(methods=["GET"], parameters=[PERSON, TEAM, UPDATED_SINCE])
class AssignmentList(PersonScoped):
    """Assignments of the people the token may see: open, completed and
    withdrawn."""

    scopes = {"GET": scopes.LEARNING_READ, "POST": scopes.ASSIGNMENTS_WRITE}
    serializer_class = AssignmentSerializer
    updated_field = "updated_at"

    def records(self) -> QuerySet[Assignment]:
        return assignments_annotated(Assignment.objects.all())


class AssignmentDetail(DetailView):
    scopes = {"GET": scopes.LEARNING_READ}
    serializer_class = AssignmentSerializer

    def get_queryset(self) -> QuerySet[Assignment]:
        return assignments_annotated(
            Assignment.objects.filter(user__in=self.visible_people())
        )


KIND = OpenApiParameter(
    "kind",
    OpenApiTypes.STR,
    enum=["lesson", "course"],
    description="Lesson completions (the default) or course completions.",
)


class CompletionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["lesson", "course"])
    person = serializers.IntegerField(source="user_id")
    lesson = serializers.IntegerField(allow_null=True)
    course = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    how = serializers.CharField(allow_blank=True)
    completed_at = serializers.DateTimeField()

    def to_representation(self, instance: Any) -> Any:
        if isinstance(instance, LessonCompletion):
            return {
                "id": instance.pk,
                "kind": "lesson",
                "person": instance.user_id,
                "lesson": instance.lesson_id,
                "course": getattr(instance, "course_id", None),
                "title": instance.lesson_title,
                "how": instance.how,
                "completed_at": serializers.DateTimeField().to_representation(
                    instance.completed_at
                ),
            }
        return {
            "id": instance.pk,
            "kind": "course",
            "person": instance.user_id,
            "lesson": None,
            "course": instance.course_id,
            "title": instance.course_title,
            "how": "",
            "completed_at": serializers.DateTimeField().to_representation(
                instance.completed_at
            ),
        }


@extend_schema(parameters=[KIND, PERSON, TEAM, UPDATED_SINCE])
class CompletionList(PersonScoped):
    """Lesson completions (each with its course) or course completions: history,
    one record each time."""

    scopes = {"GET": scopes.LEARNING_READ}
    serializer_class = CompletionSerializer
    filters = ("kind", "person", "team", "updated_since")
    updated_field = "completed_at"

    def records(self) -> QuerySet[Any]:
        kind = self.request.query_params.get("kind", "lesson")
        if kind == "course":
            return CourseCompletion.objects.all()
        if kind != "lesson":
            raise ValidationError({"kind": ["Give lesson or course."]})
        # A lesson's course is its parent page: the lesson's path less one step.
        lesson_path = OuterRef("lesson__path")
        return LessonCompletion.objects.annotate(
            course_id=Subquery(
                Page.objects.filter(
                    path=Substr(lesson_path, 1, Length(lesson_path) - Page.steplen)
                ).values("pk")[:1]
            )
        )


class QuizAttemptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="user_id")
    quiz = serializers.IntegerField(source="quiz_id", allow_null=True)
    quiz_title = serializers.CharField()
    number = serializers.IntegerField()
    state = serializers.ChoiceField(choices=["submitted", "expired"])
    started_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField()
    score = serializers.DecimalField(**DECIMAL)
    max_score = serializers.DecimalField(**DECIMAL)
    percent = serializers.DecimalField(**DECIMAL)
    passed = serializers.BooleanField()
    pass_mark_percent = serializers.IntegerField()


def graded_attempts() -> QuerySet[QuizAttempt]:
    return QuizAttempt.objects.filter(
        state__in=[QuizAttempt.State.SUBMITTED, QuizAttempt.State.EXPIRED]
    )


@extend_schema(parameters=[PERSON, TEAM, UPDATED_SINCE])
class QuizAttemptList(PersonScoped):
    """Graded quiz attempts: scores only, never questions or answer keys."""

    scopes = {"GET": scopes.LEARNING_READ}
    serializer_class = QuizAttemptSerializer
    updated_field = "closed_at"

    def records(self) -> QuerySet[QuizAttempt]:
        return graded_attempts()


# The UI form's field names, as the API calls them.
_FORM_FIELDS = {"people": "person", "__all__": "non_field_errors"}


class AssignmentCreateSerializer(StrictSerializer):
    person = serializers.IntegerField(min_value=1)
    path = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    course = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    due_date = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="The due day (end of day in the token person's time zone). A course "
        "needs one; a path without one counts from the person's start date.",
    )


@extend_schema(
    methods=["POST"],
    parameters=[IDEMPOTENCY_KEY],
    request=AssignmentCreateSerializer,
    responses={201: AssignmentSerializer, 200: AssignmentSerializer},
    description="Assign a path or a course to one person of the token's teams, with "
    "the rules of My team → Assign training. If it is already open for them, the open "
    "assignment is returned with 200.",
)
class AssignmentListCreate(AssignmentList):
    def post(self, request: Request) -> Response:
        return idempotent(request, lambda: self._create(request))

    def _create(self, request: Request) -> Response:
        data = AssignmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        form = AssignmentForm(
            {
                "people": [values["person"]],
                "path": values.get("path") or "",
                "course": values.get("course") or "",
                "due_date": values.get("due_date") or "",
            },
            assigner=self.viewer,
        )
        if not (self.viewer.is_manager or self.viewer.is_enablement_admin):
            raise PermissionDenied("Only managers and enablement admins assign.")
        if not form.is_valid():
            raise ValidationError(
                {
                    _FORM_FIELDS.get(name, name): [str(message) for message in messages]
                    for name, messages in form.errors.items()
                }
            )
        person = form.cleaned_data["people"][0]
        assignment, created = assignment_create(
            user=person,
            reason=Assignment.Reason.MANUAL,
            path=form.cleaned_data["path"],
            course=form.cleaned_data["course"],
            assigned_by=self.viewer,
            due_at=form.due_at(),
        )
        fresh = assignments_annotated(Assignment.objects.filter(pk=assignment.pk)).get()
        return Response(
            AssignmentSerializer(fresh).data, status=201 if created else 200
        )


@extend_schema(
    request=None,
    responses={200: AssignmentSerializer},
    description="Withdraw an open assignment of a person of the token's teams; it "
    "stays in the history as withdrawn. 409 if it is already completed or withdrawn.",
)
class AssignmentWithdraw(ApiView):
    scopes = {"POST": scopes.ASSIGNMENTS_WRITE}
    serializer_class = AssignmentSerializer

    def post(self, request: Request, pk: int) -> Response:
        assignment = (
            Assignment.objects.filter(user__in=managed_members(self.viewer), pk=pk)
            .select_related("path", "course")
            .first()
        )
        if assignment is None:
            raise NotFound()
        if assignment.completed_at or assignment.unassigned_at:
            return problem(409, "Only open assignments can be withdrawn.")
        assignment_unassign(assignment=assignment)
        fresh = assignments_annotated(Assignment.objects.filter(pk=pk)).get()
        return Response(AssignmentSerializer(fresh).data)
