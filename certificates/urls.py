from __future__ import annotations

from django.urls import path

from certificates import open_badges_views, verify_views, views

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
        "certificates/<int:pk>/open-badge/",
        open_badges_views.certificate_open_badge,
        name="certificate_open_badge",
    ),
    path(
        "open-badges/issuer.json",
        open_badges_views.issuer_profile,
        name="open_badges_issuer",
    ),
    path(".well-known/jwks.json", open_badges_views.jwk_set, name="open_badges_jwks"),
    path(
        "open-badges/status/<str:code>.json",
        open_badges_views.revocation_list,
        name="open_badges_revocation_list",
    ),
    path(
        "verify/<str:code>/",
        verify_views.certificate_verify,
        name="certificate_verify",
    ),
]
