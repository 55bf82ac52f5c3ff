"""The tracked-link redirect (public: anyone holding the message may click), and
the sequence pages of the Wagtail admin (enablement admins): analytics with CSV,
preview for a chosen person, a test to oneself, pause and resume."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from automation.sequences import links, services
from automation.sequences.models import Sequence
from automation.sequences.selectors import sequence_report
from lms.accounts.models import User
from lms.lib import spreadsheets
from lms.lib.requests import signed_in_user


def sequence_link(request: HttpRequest, token: str) -> HttpResponse:
    """Count the click and go to the page, which is always on this site."""
    link = links.link_from(token)
    if link is None:
        raise Http404
    services.link_click_record(
        step_id=link.step_id, enrolment_id=link.enrolment_id, path=link.path
    )
    response = HttpResponseRedirect(link.path)
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


def _sequence_for_admin(request: HttpRequest, pk: int) -> Sequence:
    if not signed_in_user(request).is_enablement_admin:
        raise PermissionDenied(_("Only enablement admins manage sequences."))
    sequence: Sequence = get_object_or_404(
        Sequence.objects.prefetch_related("steps"), pk=pk
    )
    return sequence


def sequence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Analytics, and the preview for the person chosen (`?person=<id>`)."""
    sequence = _sequence_for_admin(request, pk)
    people = User.objects.filter(is_active=True).order_by("full_name")
    person = None
    if person_id := request.GET.get("person", ""):
        person = people.filter(pk=int(person_id) if person_id.isdigit() else 0).first()
    preview = (
        services.sequence_preview(sequence=sequence, person=person) if person else []
    )
    return render(
        request,
        "automation/admin/sequence_detail.html",
        {
            "sequence": sequence,
            "report": sequence_report(sequence=sequence),
            "people": people.only("pk", "full_name", "email"),
            "person": person,
            "preview": preview,
        },
    )


def sequence_csv(request: HttpRequest, pk: int) -> HttpResponse:
    sequence = _sequence_for_admin(request, pk)
    report = sequence_report(sequence=sequence)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sequence-{pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(report.CSV_HEADER)
    for row in report.csv_rows():
        writer.writerow([spreadsheets.cell(value) for value in row])
    return response


@require_POST
def sequence_test(request: HttpRequest, pk: int) -> HttpResponse:
    sequence = _sequence_for_admin(request, pk)
    me = signed_in_user(request)
    person_id = request.POST.get("person", "")
    person = User.objects.filter(
        pk=int(person_id) if person_id.isdigit() else 0, is_active=True
    ).first()
    sent = services.sequence_test_send(sequence=sequence, person=person or me, to=me)
    messages.success(
        request,
        ngettext(
            "%(count)d test message sent to %(email)s.",
            "%(count)d test messages sent to %(email)s.",
            sent,
        )
        % {"count": sent, "email": me.email},
    )
    return redirect("sequences_admin:detail", sequence.pk)


@require_POST
def sequence_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    sequence = _sequence_for_admin(request, pk)
    if sequence.status == Sequence.Status.ACTIVE:
        services.sequence_pause(sequence=sequence)
        messages.success(
            request, _("“%(sequence)s” is paused.") % {"sequence": sequence}
        )
    else:
        services.sequence_resume(sequence=sequence)
        messages.success(request, _("“%(sequence)s” is on.") % {"sequence": sequence})
    return redirect("sequences_admin:detail", sequence.pk)
