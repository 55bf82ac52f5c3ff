"""The integrations pages: API tokens and webhooks, for managers and admins."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from integrations.forms import TokenForm, WebhookForm
from integrations.learning_record import learning_record, learning_record_statements
from integrations.models import ApiToken, WebhookEndpoint
from integrations.tokens import (
    TokenRefused,
    api_token_create,
    api_token_revoke,
    may_hold_tokens,
    tokens_visible_to,
)
from integrations.webhooks.services import (
    WebhookRefused,
    webhook_create,
    webhook_delete,
    webhook_redeliver,
    webhook_update,
    webhooks_visible_to,
)
from lms.accounts.models import User
from lms.lib.requests import SignedInRequest


def _require_token_holder(user: User) -> None:
    if not may_hold_tokens(user):
        raise PermissionDenied(_("Only managers and enablement admins use the API."))


@never_cache
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """List the viewer's tokens (and, for admins, the service tokens) and make one.
    A new token is shown once, in the answer to the form."""
    user = request.user
    assert isinstance(user, User)
    _require_token_holder(user)
    form = TokenForm(request.POST or None, user=user)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data["expires_days"]
        try:
            made = api_token_create(
                user=user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                service=form.cleaned_data["kind"] == "service",
                expires_at=timezone.now() + dt.timedelta(days=days) if days else None,
                created_by=user,
            )
        except TokenRefused as error:
            form.add_error(None, str(error))
        else:
            new_secret = made.secret
            form = TokenForm(user=user)
    return render(
        request,
        "integrations/tokens.html",
        {
            "form": form,
            "new_secret": new_secret,
            "tokens": tokens_visible_to(user),
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    _require_token_holder(user)
    condition = Q(user=user)
    if user.is_enablement_admin:
        condition |= Q(kind=ApiToken.Kind.SERVICE)
    token = ApiToken.objects.filter(condition, pk=pk).first()
    if token is None:
        raise Http404(_("No such token."))
    api_token_revoke(token=token)
    messages.success(
        request, _("The token “%(name)s” was revoked.") % {"name": token.name}
    )
    return redirect("integration_tokens")


def _webhook_of(user: User, pk: int) -> WebhookEndpoint:
    endpoint = webhooks_visible_to(user).filter(pk=pk).first()
    if endpoint is None:
        raise Http404(_("No such webhook."))
    endpoint_: WebhookEndpoint = endpoint
    return endpoint_


@never_cache
@login_required
def webhooks(request: HttpRequest) -> HttpResponse:
    """The viewer's webhooks (admins: all) and a form to add one; the new one's
    secret is shown once, in the answer to the form."""
    user = request.user
    assert isinstance(user, User)
    _require_token_holder(user)
    form = WebhookForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = webhook_create(
                owner=user,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                description=form.cleaned_data["description"],
            )
        except WebhookRefused as error:
            form.add_error("url", str(error))
        else:
            form = WebhookForm()
    return render(
        request,
        "integrations/webhooks.html",
        {
            "form": form,
            "created": created,
            "endpoints": webhooks_visible_to(user).select_related("owner"),
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )


@login_required
def webhook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An endpoint and its delivery log (status, answer code, duration)."""
    user = request.user
    assert isinstance(user, User)
    _require_token_holder(user)
    endpoint = _webhook_of(user, pk)
    deliveries = endpoint.deliveries.all()[:100]
    return render(
        request,
        "integrations/webhook_detail.html",
        {"endpoint": endpoint, "deliveries": deliveries},
    )


@login_required
@require_POST
def webhook_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    _require_token_holder(user)
    endpoint = _webhook_of(user, pk)
    webhook_update(endpoint=endpoint, active=not endpoint.active)
    messages.success(
        request,
        _("The webhook is on now.")
        if endpoint.active
        else _("The webhook is off now."),
    )
    return redirect("integration_webhook", endpoint.pk)


@login_required
@require_POST
def webhook_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    _require_token_holder(user)
    webhook_delete(endpoint=_webhook_of(user, pk))
    messages.success(request, _("The webhook was deleted."))
    return redirect("integration_webhooks")


@login_required
@require_POST
def webhook_redeliver_view(
    request: HttpRequest, pk: int, delivery_pk: int
) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    _require_token_holder(user)
    endpoint = _webhook_of(user, pk)
    delivery = endpoint.deliveries.filter(pk=delivery_pk).first()
    if delivery is None:
        raise Http404(_("No such delivery."))
    webhook_redeliver(delivery=delivery)
    messages.success(
        request,
        _("%(event)s will be sent again.") % {"event": delivery.event_type},
    )
    return redirect("integration_webhook", endpoint.pk)


def _json_download(data: object, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def my_learning_record(request: SignedInRequest) -> HttpResponse:
    """The signed-in person's whole learning record as a JSON file."""
    return _json_download(
        learning_record(user=request.user), "onramp-learning-record.json"
    )


@login_required
def my_learning_record_xapi(request: SignedInRequest) -> HttpResponse:
    """The same record as xAPI statements (a `StatementResult`-shaped file)."""
    return _json_download(
        {"statements": learning_record_statements(user=request.user)},
        "onramp-learning-record-xapi.json",
    )
