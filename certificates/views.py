from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certificates import open_badges, selectors, services
from certificates.forms import TeamFilterForm
from certificates.models import Certificate
from lms.lib import clock
from lms.lib.requests import SignedInRequest

TEAM_PAGE_SIZE = 50


@login_required
def certificates_mine(request: SignedInRequest) -> HttpResponse:
    """My certificates: progress toward each program, and every certificate with its
    PDF, its Open Badges credential, its verification link and, while valid, the
    "Add to LinkedIn" link."""
    mine = selectors.my_certificates(user=request.user)
    now = clock.now()
    rows = [
        (
            c,
            c.verification_url,
            open_badges.linkedin_url(c)
            if c.status == Certificate.Status.ACTIVE
            and (c.expires_at is None or c.expires_at > now)
            else "",
        )
        for c in mine.certificates
    ]
    return render(request, "certificates/mine.html", {"mine": mine, "rows": rows})


@login_required
def certificate_pdf(request: SignedInRequest, pk: int) -> HttpResponseBase:
    """The certificate's PDF, for its holder and the people who may see them."""
    certificate = _visible_certificate(request, pk)
    storage = storages["private"]
    if not certificate.pdf or not storage.exists(certificate.pdf):
        # Nothing is queued from a GET: the page offers to prepare it (a POST).
        return render(
            request,
            "certificates/pdf_pending.html",
            {
                "certificate": certificate,
                "back": _certificates_list(request, certificate),
            },
        )
    return FileResponse(
        storage.open(certificate.pdf, "rb"),
        as_attachment=True,
        filename=f"{certificate.serial}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_POST
def certificate_pdf_prepare(request: SignedInRequest, pk: int) -> HttpResponse:
    """Render a certificate's missing PDF again, for those who may download it."""
    certificate = _visible_certificate(request, pk)
    services.certificate_pdf_rerender(certificate=certificate)
    messages.success(
        request,
        _("The PDF of certificate %(serial)s is being prepared: try again in a minute.")
        % {"serial": certificate.serial},
    )
    return redirect(_certificates_list(request, certificate))


def _visible_certificate(request: SignedInRequest, pk: int) -> Certificate:
    certificate = selectors.certificates_visible_to(request.user).filter(pk=pk).first()
    if certificate is None:
        raise Http404("No such certificate.")
    return certificate


def _certificates_list(request: SignedInRequest, certificate: Certificate) -> str:
    """The list the viewer came from; a coach has no team view."""
    viewer = request.user
    if certificate.user_id != viewer.pk and (
        viewer.is_manager or viewer.is_enablement_admin
    ):
        return reverse("certificates_team")
    return reverse("certificates_mine")


@login_required
def certificates_team(request: SignedInRequest) -> HttpResponse:
    """Managers: their teams' certificates, and those expiring in 30, 60 or 90
    days."""
    if not (request.user.is_manager or request.user.is_enablement_admin):
        raise PermissionDenied("Only managers see their teams' certificates.")
    form = TeamFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    certificates = selectors.team_certificates(
        viewer=request.user,
        status=filters.get("status") or "",
        program_id=filters["program"].pk if filters.get("program") else None,
        expiring_within_days=int(filters["expiring"])
        if filters.get("expiring")
        else None,
    )
    page = Paginator(certificates, TEAM_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "certificates/team.html",
        {
            "form": form,
            "page": page,
            "filters": query.urlencode(),
            "expiring": selectors.expiring_counts(viewer=request.user),
        },
    )
