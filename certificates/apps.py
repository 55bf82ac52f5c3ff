from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    """Certification programs, issued certificates, verification, expiry, renewal."""

    name = "certificates"
    verbose_name = _("Certification")

    def ready(self) -> None:
        from certificates import demo, signal_handlers
        from coaching.signals import review_submitted
        from courses.quizzes.hints import register_result_hint
        from courses.quizzes.signals import quiz_attempt_graded
        from courses.signals import course_completed
        from lms.accounts.roles import ENABLEMENT_ADMIN_PERMISSIONS
        from lms.demo import DemoStep, register_demo_step
        from lms.navigation import NavItem, register_nav_item

        ENABLEMENT_ADMIN_PERMISSIONS.extend(
            [
                *(
                    f"certificates.{action}_certificationprogram"
                    for action in ("add", "change", "delete")
                ),
                "certificates.view_certificate",
                "certificates.change_certificate",
                "certificates.change_certificatebranding",
            ]
        )
        course_completed.connect(
            signal_handlers.evaluate_on_course_completed,
            dispatch_uid="certificates_on_course_completed",
        )
        quiz_attempt_graded.connect(
            signal_handlers.evaluate_on_quiz_attempt_graded,
            dispatch_uid="certificates_on_quiz_attempt_graded",
        )
        review_submitted.connect(
            signal_handlers.evaluate_on_review_submitted,
            dispatch_uid="certificates_on_review_submitted",
        )
        register_result_hint(signal_handlers.quiz_result_hint)
        register_demo_step(DemoStep(60, "certificates", demo.seed_certificates))
        register_nav_item(
            NavItem(
                _("Certificates"),
                "certificates_mine",
                order=40,
                is_visible=lambda user: True,
            )
        )
