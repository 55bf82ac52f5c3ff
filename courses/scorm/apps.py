from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScormConfig(AppConfig):
    """SCORM 1.2 and 2004 packages played as course steps, tracked per attempt."""

    name = "courses.scorm"
    label = "scorm"
    verbose_name = _("SCORM packages")

    def ready(self) -> None:
        from courses.models import register_course_step
        from courses.scorm import demo
        from lms.accounts.roles import ENABLEMENT_ADMIN_PERMISSIONS
        from lms.demo import DemoStep, register_demo_step

        register_course_step("scorm.ScormPage")
        ENABLEMENT_ADMIN_PERMISSIONS.extend(
            f"scorm.{action}_scormpackage" for action in ("change", "delete")
        )
        register_demo_step(DemoStep(42, "SCORM", demo.seed_scorm))
