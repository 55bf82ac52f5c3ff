from __future__ import annotations

from django.urls import path

from certificates import verify_views, views

urlpatterns = [
    path("certificates/", views.certificates_mine, name="certificates_mine"),
    path("certificates/team/", views.certificates_team, name="certificates_team"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path(
        "certificates/<int:pk>/pdf/prepare/",
        views.certificate_pdf_prepare,
        name="certificate_pdf_prepare",
    ),
    path(
        "verify/<str:code>/",
        verify_views.certificate_verify,
        name="certificate_verify",
    ),
]
