"""The integrations pages: API tokens and webhooks, for managers and admins."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from integrations.forms import TokenForm
from integrations.models import ApiToken
from integrations.tokens import (
    TokenRefused,
    api_token_create,
    api_token_revoke,
    may_hold_tokens,
    tokens_visible_to,
)
from lms.accounts.models import User


def _require_token_holder(user: User) -> None:
    if not may_hold_tokens(user):
        raise PermissionDenied("Only managers and enablement admins use the API.")


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
        raise Http404("No such token.")
    api_token_revoke(token=token)
    messages.success(request, f"The token “{token.name}” was revoked.")
    return redirect("integration_tokens")
