"""Webhook endpoints and their delivery logs, for tokens with `webhooks:manage`."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from integrations import scopes
from integrations.api.common import ApiView, ListView, StrictSerializer
from integrations.models import WebhookDelivery, WebhookEndpoint
from integrations.webhooks.events import EVENT_TYPES
from integrations.webhooks.services import (
    WebhookRefused,
    webhook_create,
    webhook_delete,
    webhook_redeliver,
    webhook_update,
    webhooks_visible_to,
)


class WebhookSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    description = serializers.CharField(allow_blank=True)
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENT_TYPES))
    active = serializers.BooleanField()
    owner = serializers.IntegerField(source="owner_id")
    created_at = serializers.DateTimeField()
    failing_since = serializers.DateTimeField(allow_null=True)
    disabled_at = serializers.DateTimeField(allow_null=True)
    disabled_reason = serializers.CharField(allow_blank=True)


class WebhookWithSecretSerializer(WebhookSerializer):
    secret = serializers.CharField(
        help_text="The signing secret (whsec_…), shown only in this answer."
    )


class WebhookCreateSerializer(StrictSerializer):
    url = serializers.URLField(max_length=500)
    description = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_TYPES),
        required=False,
        default=list,
        help_text="Event types to receive; empty for all.",
    )


class WebhookUpdateSerializer(StrictSerializer):
    url = serializers.URLField(max_length=500, required=False)
    description = serializers.CharField(
        max_length=200, required=False, allow_blank=True
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_TYPES), required=False
    )
    active = serializers.BooleanField(required=False)


class ManagesWebhooks(ApiView):
    scopes = {
        "GET": scopes.WEBHOOKS_MANAGE,
        "POST": scopes.WEBHOOKS_MANAGE,
        "PATCH": scopes.WEBHOOKS_MANAGE,
        "DELETE": scopes.WEBHOOKS_MANAGE,
    }

    def endpoints(self) -> QuerySet[WebhookEndpoint]:
        endpoints: QuerySet[WebhookEndpoint] = webhooks_visible_to(self.viewer)
        return endpoints

    def endpoint(self, pk: int) -> WebhookEndpoint:
        endpoint = self.endpoints().filter(pk=pk).first()
        if endpoint is None:
            raise NotFound()
        return endpoint


def _refused(error: WebhookRefused) -> ValidationError:
    return ValidationError({"url": [str(error)]})


@extend_schema(
    methods=["POST"],
    request=WebhookCreateSerializer,
    responses={201: WebhookWithSecretSerializer},
    description="Add an endpoint. The answer carries its signing secret, once.",
)
class WebhookList(ListView, ManagesWebhooks):
    """The token's person's endpoints (an admin's token: all)."""

    serializer_class = WebhookSerializer

    def get_queryset(self) -> QuerySet[WebhookEndpoint]:
        return self.endpoints()

    def post(self, request: Request) -> Response:
        data = WebhookCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            endpoint = webhook_create(owner=self.viewer, **data.validated_data)
        except WebhookRefused as error:
            raise _refused(error) from None
        body = WebhookSerializer(endpoint).data
        return Response({**body, "secret": endpoint.secret}, status=201)


@extend_schema(methods=["PATCH"], request=WebhookUpdateSerializer)
class WebhookDetail(ManagesWebhooks):
    serializer_class = WebhookSerializer

    @extend_schema(responses={200: WebhookSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return Response(WebhookSerializer(self.endpoint(pk)).data)

    @extend_schema(responses={200: WebhookSerializer})
    def patch(self, request: Request, pk: int) -> Response:
        endpoint = self.endpoint(pk)
        data = WebhookUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            endpoint = webhook_update(endpoint=endpoint, **data.validated_data)
        except WebhookRefused as error:
            raise _refused(error) from None
        return Response(WebhookSerializer(endpoint).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        webhook_delete(endpoint=self.endpoint(pk))
        return Response(status=204)


class DeliverySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    message_id = serializers.CharField()
    event_type = serializers.CharField()
    status = serializers.ChoiceField(choices=WebhookDelivery.Status.choices)
    attempts = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    next_attempt_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)
    last_status_code = serializers.IntegerField(allow_null=True)
    last_duration_ms = serializers.IntegerField(allow_null=True)
    last_error = serializers.CharField(allow_blank=True)
    payload = serializers.JSONField()


class DeliveryList(ListView, ManagesWebhooks):
    """An endpoint's delivery log, newest first."""

    serializer_class = DeliverySerializer

    def get_queryset(self) -> QuerySet[WebhookDelivery]:
        endpoint = self.endpoint(self.kwargs["pk"])
        return WebhookDelivery.objects.filter(endpoint=endpoint)


@extend_schema(request=None, responses={202: DeliverySerializer})
class DeliveryRedeliver(ManagesWebhooks):
    """Send a delivery's event again (same webhook-id)."""

    serializer_class = DeliverySerializer

    def post(self, request: Request, pk: int, delivery_pk: int) -> Response:
        endpoint = self.endpoint(pk)
        delivery = WebhookDelivery.objects.filter(
            endpoint=endpoint, pk=delivery_pk
        ).first()
        if delivery is None:
            raise NotFound()
        again = webhook_redeliver(delivery=delivery)
        return Response(DeliverySerializer(again).data, status=202)
