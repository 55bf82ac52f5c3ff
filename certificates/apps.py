from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    """Certification programs, issued certificates, verification, expiry, renewal."""

    name = "certificates"
    verbose_name = "Certification"
