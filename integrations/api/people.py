"""People and teams."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from dashboards.ramp import person_selling
from integrations import scopes
from integrations.api.common import (
    TEAM,
    UPDATED_SINCE,
    ApiView,
    DetailView,
    ListView,
)
from integrations.models import version_of
from integrations.selectors import (
    people_annotated,
    people_updated_since,
    roles_from_annotations,
    teams_visible_to,
)
from lms.accounts.models import Team, User


class OnboardingSerializer(serializers.Serializer):
    assignment = serializers.IntegerField(source="pk")
    path = serializers.CharField(source="title")
    status = serializers.ChoiceField(
        choices=["not_started", "in_progress", "overdue", "completed"]
    )
    progress_percent = serializers.IntegerField()
    required_done = serializers.IntegerField()
    required_total = serializers.IntegerField()
    due_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)


class TeamRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    active = serializers.BooleanField(source="is_active")
    team = TeamRefSerializer(allow_null=True)
    roles = serializers.SerializerMethodField()
    start_date = serializers.DateField(allow_null=True)
    time_zone = serializers.CharField()
    onboarding = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()
    version = serializers.SerializerMethodField()

    @extend_schema_field(
        serializers.ListField(
            child=serializers.ChoiceField(choices=["rep", "coach", "manager", "admin"])
        )
    )
    def get_roles(self, person: User) -> list[str]:
        return roles_from_annotations(person)

    @extend_schema_field(OnboardingSerializer(allow_null=True))
    def get_onboarding(self, person: User) -> dict[str, Any] | None:
        assignments = getattr(person, "onboarding_assignments", [])
        if not assignments:
            return None
        onboarding = assignments[0]
        datetime_field = serializers.DateTimeField()
        # Built by hand: a serializer per person would cost more than the query.
        return {
            "assignment": onboarding.pk,
            "path": onboarding.title,
            "status": onboarding.status,
            "progress_percent": onboarding.progress_percent,
            "required_done": onboarding.required_done,
            "required_total": onboarding.required_total,
            "due_at": datetime_field.to_representation(onboarding.due_at)
            if onboarding.due_at
            else None,
            "completed_at": datetime_field.to_representation(onboarding.completed_at)
            if onboarding.completed_at
            else None,
        }

    @extend_schema_field(serializers.IntegerField())
    def get_version(self, person: User) -> int:
        return version_of(getattr(person, "updated_at"))  # noqa: B009 - an annotation


@extend_schema(parameters=[TEAM, UPDATED_SINCE])
class PeopleList(ListView):
    """People the token's person may see, with team, roles, start date and
    onboarding progress."""

    scopes = {"GET": scopes.PEOPLE_READ}
    filters = ("team", "updated_since")
    serializer_class = PersonSerializer

    def get_queryset(self) -> QuerySet[User]:
        people = people_annotated(self.people_filtered(self.visible_people()))
        return people_updated_since(people, self.param_datetime("updated_since"))


class PersonDetail(DetailView):
    scopes = {"GET": scopes.PEOPLE_READ}
    serializer_class = PersonSerializer

    def get_queryset(self) -> QuerySet[User]:
        return people_annotated(self.visible_people())


class TeamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    parent = serializers.SerializerMethodField()
    depth = serializers.IntegerField()
    managers = serializers.SerializerMethodField()
    coaches = serializers.SerializerMethodField()
    member_count = serializers.IntegerField()

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_parent(self, team: Team) -> int | None:
        parents: dict[str, int] = self.context.get("parents", {})
        return parents.get(team.path[: -Team.steplen]) if team.depth > 1 else None

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_managers(self, team: Team) -> list[int]:
        return sorted(person.pk for person in team.managers.all())

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_coaches(self, team: Team) -> list[int]:
        return sorted(person.pk for person in team.coaches.all())


class TeamList(ListView):
    """The team tree (regions and their teams) as far as the token may see it;
    `parent` links a team to the one above."""

    scopes = {"GET": scopes.PEOPLE_READ}
    serializer_class = TeamSerializer

    def get_queryset(self) -> QuerySet[Team]:
        teams: QuerySet[Team] = (
            teams_visible_to(self.viewer)
            .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
            .prefetch_related("managers", "coaches")
        )
        return teams

    def get_serializer_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_serializer_context()
        context["parents"] = dict(Team.objects.values_list("path", "pk"))
        return context


class SellingSerializer(serializers.Serializer):
    deals_closed = serializers.IntegerField()
    median_cycle_days = serializers.FloatField(allow_null=True)
    velocity_per_day = serializers.DecimalField(
        max_digits=16, decimal_places=2, allow_null=True
    )
    activity_per_week = serializers.DecimalField(
        max_digits=10, decimal_places=1, allow_null=True
    )


class PersonSelling(ApiView):
    scopes = {"GET": scopes.PEOPLE_READ}

    @extend_schema(
        summary="A person's selling from the connected CRM",
        description="Over the last 52 weeks of synced CRM data: deals closed, the "
        "median sales-cycle length (days from creation to close), velocity as "
        "(opportunities × win rate × average deal) ÷ cycle length per day, and "
        "calls, meetings and e-mails logged per week. 404 when there is no CRM "
        "data for the person.",
        responses={200: SellingSerializer},
    )
    def get(self, request: Request, pk: int, *args: Any, **kwargs: Any) -> Response:
        person = self.visible_people().filter(pk=pk).first()
        if person is None:
            raise exceptions.NotFound("No such person.")
        selling = person_selling(person=person)
        if selling is None:
            raise exceptions.NotFound("No CRM data for this person.")
        return Response(SellingSerializer(selling).data)
