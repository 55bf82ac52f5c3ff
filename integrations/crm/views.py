"""CRM connections pages: enablement admins only."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from integrations.crm.errors import CrmError
from integrations.crm.salesforce import authorize_url, pkce_pair, token_exchange
from integrations.crm.selectors import month_starts, open_pipeline_by_owner
from integrations.crm.services import (
    MappingRefused,
    crm_connection_create_hubspot,
    crm_connection_create_salesforce,
    crm_connection_reauthorise,
    crm_connection_remove,
    crm_connection_replace_token,
    crm_connection_set_paused,
    crm_connection_test,
    crm_currency_rate_set,
    crm_owner_map,
    crm_sync_request,
    may_manage_crm,
)
from integrations.forms import (
    CurrencyRateForm,
    HubSpotConnectionForm,
    OwnerMappingForm,
    SalesforceConnectionForm,
)
from integrations.models import CrmConnection, CrmCurrencyRate
from lms.accounts.models import User
from lms.lib.clock import today
from lms.lib.crypto import seal, unseal
from lms.lib.urls import absolute_url

# Months of open pipeline shown per owner.
PIPELINE_MONTHS = 6
# Where a Salesforce authorisation in progress waits for its callback: the state
# and PKCE verifier, and the connected app's key and secret, sealed.
PENDING_SESSION_KEY = "crm_salesforce_pending"


def _admin(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not may_manage_crm(user):
        raise PermissionDenied(_("Only enablement admins manage CRM connections."))
    return user


def _list_context(**forms: Any) -> dict[str, Any]:
    return {
        "form": HubSpotConnectionForm(),
        "salesforce_form": SalesforceConnectionForm(),
        "rate_form": CurrencyRateForm(),
        "rates": CrmCurrencyRate.objects.all(),
        "reporting_currency": settings.CRM_REPORTING_CURRENCY,
        "callback_url": absolute_url("crm_salesforce_callback"),
        "connections": CrmConnection.objects.all(),
        **forms,
    }


@never_cache
@login_required
def connections(request: HttpRequest) -> HttpResponse:
    """The connections and forms to add a HubSpot or a Salesforce one."""
    user = _admin(request)
    form = HubSpotConnectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        connection = crm_connection_create_hubspot(
            name=form.cleaned_data["name"],
            access_token=form.cleaned_data["access_token"],
            created_by=user,
        )
        messages.success(
            request, _("The connection is saved. Test it to see the HubSpot account.")
        )
        return redirect("crm_connection", connection.pk)
    return render(
        request,
        "integrations/crm_connections.html",
        _list_context(form=form),
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
def connection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    connection = get_object_or_404(CrmConnection, pk=pk)
    return render(
        request,
        "integrations/crm_connection.html",
        {
            "connection": connection,
            "logs": connection.sync_logs.all()[:20],
            "unmatched": connection.owners.filter(user=None).count(),
        },
    )


@login_required
@require_POST
def connection_sync(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    connection = get_object_or_404(CrmConnection, pk=pk)
    if crm_sync_request(connection=connection):
        messages.success(request, _("A sync is on its way; its log appears below."))
    else:
        messages.error(
            request,
            _("The connection is %(status)s: no sync.")
            % {"status": connection.get_status_display()},
        )
    return redirect("crm_connection", connection.pk)


@never_cache
@login_required
def connection_owners(request: HttpRequest, pk: int) -> HttpResponse:
    """CRM owners and the people they are; unmatched ones first, to map by hand."""
    user = _admin(request)
    connection = get_object_or_404(CrmConnection, pk=pk)
    form = OwnerMappingForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            owner = get_object_or_404(connection.owners, pk=form.cleaned_data["owner"])
            try:
                crm_owner_map(
                    owner=owner, user=form.cleaned_data["person"], mapped_by=user
                )
            except MappingRefused as error:
                form.add_error("person", str(error))
            else:
                messages.success(request, _("%(owner)s is mapped.") % {"owner": owner})
                return redirect("crm_connection_owners", connection.pk)
    owners = list(
        connection.owners.select_related("user").order_by(
            F("user_id").asc(nulls_first=True), "email", "crm_id"
        )
    )
    months = month_starts(last=today(), count=PIPELINE_MONTHS)
    pipeline = open_pipeline_by_owner(connection=connection, months=months)
    for owner in owners:
        owner.open_by_month = [pipeline[(owner.crm_id, m)] for m in months]  # type: ignore[attr-defined]
    return render(
        request,
        "integrations/crm_owners.html",
        {
            "connection": connection,
            "owners": owners,
            "months": months,
            "people": form.fields["person"].queryset,  # type: ignore[attr-defined]
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def connection_test(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    connection = crm_connection_test(connection=get_object_or_404(CrmConnection, pk=pk))
    if connection.last_test_ok:
        messages.success(request, connection.last_test_message)
    else:
        messages.error(request, connection.last_test_message)
    return redirect("crm_connection", connection.pk)


@login_required
@require_POST
def connection_pause(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    connection = get_object_or_404(CrmConnection, pk=pk)
    crm_connection_set_paused(
        connection=connection,
        paused=connection.status == CrmConnection.Status.ACTIVE,
    )
    messages.success(
        request,
        _("The connection is %(status)s.")
        % {"status": connection.get_status_display()},
    )
    return redirect("crm_connection", connection.pk)


@login_required
@require_POST
def connection_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    connection = get_object_or_404(CrmConnection, pk=pk)
    crm_connection_remove(connection=connection)
    messages.success(
        request,
        _("The connection “%(name)s” was removed.") % {"name": connection.name},
    )
    return redirect("crm_connections")


def _authorise(request: HttpRequest, pending: dict[str, Any]) -> HttpResponse:
    """Send the browser to Salesforce with a fresh state and PKCE challenge."""
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(32)
    client = unseal(pending["client"])
    request.session[PENDING_SESSION_KEY] = {
        **pending,
        "state": state,
        "verifier": seal({"verifier": verifier}),
    }
    return redirect(
        authorize_url(
            client_id=client["client_id"],
            redirect_uri=absolute_url("crm_salesforce_callback"),
            state=state,
            code_challenge=challenge,
        )
    )


@login_required
@require_POST
def salesforce_connect(request: HttpRequest) -> HttpResponse:
    """Start the OAuth 2.0 web-server flow (with PKCE) for a new Salesforce
    connection."""
    _admin(request)
    form = SalesforceConnectionForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "integrations/crm_connections.html",
            _list_context(salesforce_form=form),
            status=400,
        )
    client = {
        key: form.cleaned_data[key]
        for key in ("client_id", "client_secret", "currency")
    }
    return _authorise(
        request,
        {"name": form.cleaned_data["name"], "client": seal(client), "connection": None},
    )


@login_required
@require_POST
def connection_reauthorise(request: HttpRequest, pk: int) -> HttpResponse:
    """Run the flow again for a Salesforce connection, with its stored app."""
    _admin(request)
    connection = get_object_or_404(
        CrmConnection, pk=pk, kind=CrmConnection.Kind.SALESFORCE
    )
    credentials = unseal(connection.credentials_sealed)
    client = {
        key: credentials.get(key, "")
        for key in ("client_id", "client_secret", "currency")
    }
    return _authorise(
        request,
        {"name": connection.name, "client": seal(client), "connection": connection.pk},
    )


@never_cache
@login_required
def salesforce_callback(request: HttpRequest) -> HttpResponse:
    """Where Salesforce sends the browser back: the code and the verifier are
    exchanged for tokens, which are sealed and never shown."""
    user = _admin(request)
    pending = request.session.pop(PENDING_SESSION_KEY, None)
    state = request.GET.get("state", "")
    if not isinstance(pending, dict) or not secrets.compare_digest(
        str(pending.get("state", "")), state
    ):
        messages.error(
            request,
            _(
                "This Salesforce answer belongs to no authorisation started here; "
                "start again."
            ),
        )
        return redirect("crm_connections")
    if "error" in request.GET:
        messages.error(
            request,
            _("Salesforce refused: %(error)s: %(description)s")
            % {
                "error": request.GET.get("error", "")[:100],
                "description": request.GET.get("error_description", "")[:300],
            },
        )
        return redirect("crm_connections")
    client = unseal(pending["client"])
    try:
        grant = token_exchange(
            client_id=client["client_id"],
            client_secret=client["client_secret"],
            code=request.GET.get("code", ""),
            verifier=unseal(pending["verifier"])["verifier"],
            redirect_uri=absolute_url("crm_salesforce_callback"),
        )
        if pending.get("connection"):
            connection = crm_connection_reauthorise(
                connection=get_object_or_404(
                    CrmConnection,
                    pk=pending["connection"],
                    kind=CrmConnection.Kind.SALESFORCE,
                ),
                grant=grant,
                by=user,
            )
        else:
            connection = crm_connection_create_salesforce(
                name=pending["name"], client=client, grant=grant, created_by=user
            )
    except CrmError as error:
        messages.error(request, str(error))
        return redirect("crm_connections")
    messages.success(
        request, _("Salesforce is connected. Test it to see the org's name.")
    )
    return redirect("crm_connection", connection.pk)


@login_required
@require_POST
def currency_rate(request: HttpRequest) -> HttpResponse:
    """Set one conversion rate into the reporting currency."""
    user = _admin(request)
    form = CurrencyRateForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "integrations/crm_connections.html",
            _list_context(rate_form=form),
            status=400,
        )
    rate = crm_currency_rate_set(
        currency=form.cleaned_data["currency"], rate=form.cleaned_data["rate"], by=user
    )
    messages.success(
        request,
        _(
            "1 %(currency)s = %(rate)s %(reporting)s; "
            "the monthly outcomes are converted with it."
        )
        % {
            "currency": rate.currency,
            "rate": rate.rate,
            "reporting": settings.CRM_REPORTING_CURRENCY,
        },
    )
    return redirect("crm_connections")


@login_required
@require_POST
def connection_token(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter a new HubSpot token (after a refusal, or to rotate it)."""
    user = _admin(request)
    connection = get_object_or_404(
        CrmConnection, pk=pk, kind=CrmConnection.Kind.HUBSPOT
    )
    form = HubSpotConnectionForm({"name": connection.name, **request.POST.dict()})
    if not form.is_valid():
        messages.error(request, _("Enter the new private-app token."))
        return redirect("crm_connection", connection.pk)
    crm_connection_replace_token(
        connection=connection, access_token=form.cleaned_data["access_token"], by=user
    )
    messages.success(request, _("The new token is saved. Test it to see the account."))
    return redirect("crm_connection", connection.pk)
