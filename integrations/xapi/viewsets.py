"""Settings → Learning Record Stores in the Wagtail admin: enablement admins add the
LRSs that receive xAPI statements, see what is waiting for each, and switch them off."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext, gettext_lazy
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from integrations.models import LrsEndpoint
from integrations.xapi.forms import LrsEndpointForm
from integrations.xapi.services import lrs_endpoint_backfill
from lms.lib.requests import signed_in_user


class EnablementAdminMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return signed_in_user(request).is_enablement_admin


def _require_enablement_admin(request: HttpRequest) -> None:
    if not signed_in_user(request).is_enablement_admin:
        raise PermissionDenied(
            gettext("Only enablement admins manage Learning Record Stores.")
        )


def lrs_index(request: HttpRequest) -> HttpResponse:
    """Every LRS with what it has taken and what is still waiting for it."""
    _require_enablement_admin(request)
    endpoints = LrsEndpoint.objects.annotate(
        delivered=Count("deliveries", filter=Q(deliveries__delivered_at__isnull=False)),
        waiting=Count("deliveries", filter=Q(deliveries__delivered_at__isnull=True)),
        last_delivered_at=Max("deliveries__delivered_at"),
    )
    return render(request, "integrations/xapi/lrs_index.html", {"endpoints": endpoints})


def lrs_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add an LRS (it then gets every statement stored so far) or change one."""
    _require_enablement_admin(request)
    endpoint = get_object_or_404(LrsEndpoint, pk=pk) if pk else None
    form = LrsEndpointForm(request.POST or None, instance=endpoint)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
            if saved.active:
                lrs_endpoint_backfill(endpoint=saved)
        messages.success(
            request,
            gettext("Learning Record Store “%(name)s” saved.") % {"name": saved},
        )
        return redirect("xapi_lrs:index")
    return render(
        request,
        "integrations/xapi/lrs_edit.html",
        {"form": form, "endpoint": endpoint},
        status=400 if form.errors else 200,
    )


def lrs_failures(request: HttpRequest, pk: int) -> HttpResponse:
    """The statements an LRS has not taken yet, with the last error of each."""
    _require_enablement_admin(request)
    endpoint = get_object_or_404(LrsEndpoint, pk=pk)
    waiting = endpoint.deliveries.filter(delivered_at__isnull=True).select_related(
        "statement"
    )[:100]
    return render(
        request,
        "integrations/xapi/lrs_waiting.html",
        {"endpoint": endpoint, "waiting": waiting},
    )


class LrsViewSet(ViewSet):
    name = "xapi_lrs"
    url_prefix = "learning-record-stores"
    icon = "resubmit"
    menu_label = gettext_lazy("Learning Record Stores")
    menu_order = 900
    menu_item_class = EnablementAdminMenuItem
    add_to_settings_menu = True

    def get_urlpatterns(self) -> list[URLPattern]:
        return [
            path("", lrs_index, name="index"),
            path("add/", lrs_edit, name="add"),
            path("<int:pk>/", lrs_edit, name="edit"),
            path("<int:pk>/waiting/", lrs_failures, name="waiting"),
        ]
