"""What every API view shares: pagination, throttling, filters, strict input."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, generics, mixins, serializers
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from integrations.api.auth import BearerTokenAuthentication, HasScope
from integrations.api.problems import problem_exception_handler
from integrations.models import ApiToken
from lms.accounts import visibility
from lms.accounts.models import Team, User


class Cursor(CursorPagination):
    """Opaque cursors over a stable order (the id): no page is skipped or repeated
    while records change."""

    ordering = "pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def decode_cursor(self, request: Request) -> Any:
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:  # DRF's answer; a bad parameter is a 400
            raise exceptions.ValidationError(
                {"cursor": ["Not a cursor: follow a page's next or previous link."]}
            ) from None


class PerTokenThrottle(SimpleRateThrottle):
    """Requests per token per minute (API_RATE_LIMIT_PER_MINUTE); 429 with
    Retry-After beyond it."""

    scope = "token"

    def get_rate(self) -> str:
        return f"{settings.API_RATE_LIMIT_PER_MINUTE}/min"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None
        return f"api-throttle:{request.auth.pk}"


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, so that a typo never passes silently."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: ["Unknown field."] for name in unknown}
                )
        return super().to_internal_value(data)


UPDATED_SINCE = OpenApiParameter(
    "updated_since",
    OpenApiTypes.DATETIME,
    description="Only records changed at or after this instant (ISO 8601 with an "
    "offset).",
)
TEAM = OpenApiParameter(
    "team",
    OpenApiTypes.INT,
    description="Only people in this team or a team below it.",
)
PERSON = OpenApiParameter("person", OpenApiTypes.INT, description="Only this person.")


class ApiView(generics.GenericAPIView):
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [HasScope]
    throttle_classes = [PerTokenThrottle]
    pagination_class = Cursor
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    scopes: dict[str, str] = {}
    # Query parameters this view understands; others are refused.
    filters: tuple[str, ...] = ()

    def get_exception_handler(self) -> Any:
        return problem_exception_handler

    @property
    def viewer(self) -> User:
        user = self.request.user
        assert isinstance(user, User)
        return user

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if request.method == "GET":
            allowed = {"cursor", "page_size", *self.filters}
            unknown = sorted(set(request.query_params) - allowed)
            if unknown:
                raise exceptions.ValidationError(
                    {name: ["Unknown query parameter."] for name in unknown}
                )

    def visible_people(self) -> QuerySet[User]:
        return visibility.visible_users(self.viewer)

    def param_datetime(self, name: str) -> dt.datetime | None:
        raw = self.request.query_params.get(name)
        if raw is None:
            return None
        try:
            value = parse_datetime(raw)
        except ValueError:
            value = None
        try:
            # In UTC: PostgreSQL refuses offsets beyond ±16 hours, Python does not.
            instant = value.astimezone(dt.UTC) if value and value.tzinfo else None
        except OverflowError:
            instant = None
        if instant is None:
            raise exceptions.ValidationError(
                {
                    name: [
                        "Give an ISO 8601 instant with an offset, e.g. "
                        "2026-01-31T09:00:00Z."
                    ]
                }
            )
        return instant

    def param_id(self, name: str) -> int | None:
        raw = self.request.query_params.get(name)
        if raw is None:
            return None
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
            raise exceptions.ValidationError({name: ["Give a whole number id."]})
        return int(raw)

    def param_team(self) -> Team | None:
        team_id = self.param_id("team")
        if team_id is None:
            return None
        team = Team.objects.filter(pk=team_id).first()
        if team is None:
            raise exceptions.ValidationError({"team": ["No team has this id."]})
        return team

    def people_filtered(self, people: QuerySet[User]) -> QuerySet[User]:
        """Visible people, narrowed by `team` and `person` where given."""
        team = self.param_team() if "team" in self.filters else None
        if team is not None:
            people = people.filter(team__path__startswith=team.path)
        person = self.param_id("person") if "person" in self.filters else None
        if person is not None:
            people = people.filter(pk=person)
        return people


class ListView(mixins.ListModelMixin, ApiView):
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)


class DetailView(mixins.RetrieveModelMixin, ApiView):
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.retrieve(request, *args, **kwargs)
