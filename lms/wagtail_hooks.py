"""Wagtail wiring of the project shell: documents are company-internal."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from wagtail import hooks
from wagtail.documents.models import AbstractDocument


@hooks.register("before_serve_document")
def documents_only_for_signed_in_people(
    document: AbstractDocument, request: HttpRequest
) -> HttpResponse | None:
    """Lesson documents are as internal as the lessons that link them: a visitor who
    is not signed in is sent to sign in, exactly as a lesson page does
    (lms.pages.SignInRequiredMixin). Document ids are sequential, so the address
    is no secret."""
    if request.user.is_authenticated:
        return None
    return redirect_to_login(request.get_full_path())
