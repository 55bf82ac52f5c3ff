from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from certificates import views


def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    # The public verification view lives in its own module (owned by cert-pdf);
    # imported on first use so this URLconf loads before that module exists.
    from certificates import verify_views

    return verify_views.certificate_verify(request, code=code)


urlpatterns = [
    path("certificates/", views.certificates_mine, name="certificates_mine"),
    path("certificates/team/", views.certificates_team, name="certificates_team"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("verify/<str:code>/", certificate_verify, name="certificate_verify"),
]
