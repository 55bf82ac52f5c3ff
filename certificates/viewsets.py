"""The Certification menu of the Wagtail admin: programs (a snippet) and the issued
certificates, where enablement admins revoke or issue by hand, with a reason, and read
the audit log. Nothing here edits or deletes an audit entry."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.snippets.views.snippets import DeleteView, SnippetViewSet

from certificates import services
from certificates.forms import IssueManuallyForm, ReasonForm
from certificates.models import Certificate, CertificationProgram
from lms.lib.requests import signed_in_user


class EnablementAdminMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return signed_in_user(request).is_enablement_admin


def _require_enablement_admin(request: HttpRequest) -> None:
    if not signed_in_user(request).is_enablement_admin:
        raise PermissionDenied("Only enablement admins manage certificates.")


def certificate_index(request: HttpRequest) -> HttpResponse:
    """Every certificate, newest first, searchable by person, serial or program."""
    _require_enablement_admin(request)
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    certificates = Certificate.objects.select_related("user", "program")
    if query:
        certificates = certificates.filter(
            Q(holder_name__icontains=query)
            | Q(user__full_name__icontains=query)
            | Q(user__email__icontains=query)
            | Q(serial__icontains=query)
            | Q(program_title__icontains=query)
        )
    if status in Certificate.Status.values:
        certificates = certificates.filter(status=status)
    page = Paginator(certificates.order_by("-issued_at", "-pk"), 50).get_page(
        request.GET.get("p")
    )
    return render(
        request,
        "certificates/admin/index.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "statuses": Certificate.Status.choices,
        },
    )


def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One certificate with its audit log (read only) and the revoke form."""
    _require_enablement_admin(request)
    certificate = get_object_or_404(
        Certificate.objects.select_related(
            "user", "program", "issued_by", "revoked_by"
        ),
        pk=pk,
    )
    return render(
        request,
        "certificates/admin/detail.html",
        {
            "certificate": certificate,
            "events": certificate.events.select_related("actor"),
            "form": ReasonForm(),
        },
    )


@require_POST
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _require_enablement_admin(request)
    certificate = get_object_or_404(Certificate, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.certificate_revoke(
                certificate=certificate,
                actor=signed_in_user(request),
                reason=form.cleaned_data["reason"],
            )
        except services.CertificateRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                _("Certificate %(serial)s revoked.") % {"serial": certificate.serial},
            )
            return redirect("certificates_admin:detail", pk=certificate.pk)
    return render(
        request,
        "certificates/admin/detail.html",
        {
            "certificate": certificate,
            "events": certificate.events.select_related("actor"),
            "form": form,
        },
        status=400,
    )


def certificate_issue(request: HttpRequest) -> HttpResponse:
    """Issue a certificate by hand, with a reason for the audit log."""
    _require_enablement_admin(request)
    form = IssueManuallyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate = services.certificate_issue_manually(
                user=form.cleaned_data["user"],
                program=form.cleaned_data["program"],
                actor=signed_in_user(request),
                reason=form.cleaned_data["reason"],
            )
        except services.CertificateRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("Certificate %(serial)s issued to %(holder)s.")
                % {"serial": certificate.serial, "holder": certificate.holder_name},
            )
            return redirect("certificates_admin:detail", pk=certificate.pk)
    return render(
        request,
        "certificates/admin/issue.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


class CertificationProgramDeleteView(DeleteView):
    """A program that has issued certificates stays: they name it, and their
    history must hold. Unticking Active stops it issuing."""

    def form_valid(self, form: Any) -> HttpResponse:
        if self.object.certificates.exists():
            messages.error(
                self.request,
                _(
                    "“%(program)s” has issued certificates, so it cannot be deleted. "
                    "Untick Active to stop it issuing new ones."
                )
                % {"program": self.object},
            )
            return redirect(
                "wagtailsnippets_certificates_certificationprogram:edit",
                self.object.pk,
            )
        response: HttpResponse = super().form_valid(form)
        return response


class CertificationProgramViewSet(SnippetViewSet):
    model = CertificationProgram
    delete_view_class = CertificationProgramDeleteView
    icon = "tasks"
    menu_label = gettext_lazy("Programs")
    menu_order = 100
    list_display = ["title", "validity_months", "renewal_window_days", "active"]
    list_filter = ["active"]


class CertificatesAdminViewSet(ViewSet):
    name = "certificates_admin"
    url_prefix = "certificates"
    icon = "doc-full"
    menu_label = gettext_lazy("Certificates")
    menu_order = 200
    menu_item_class = EnablementAdminMenuItem

    def get_urlpatterns(self) -> list[URLPattern]:
        return [
            path("", certificate_index, name="index"),
            path("issue/", certificate_issue, name="issue"),
            path("<int:pk>/", certificate_detail, name="detail"),
            path("<int:pk>/revoke/", certificate_revoke, name="revoke"),
        ]


class CertificationViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Certification")
    menu_icon = "doc-full-inverse"
    menu_order = 260
    items = (CertificationProgramViewSet, CertificatesAdminViewSet)
