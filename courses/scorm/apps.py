from django.apps import AppConfig


class ScormConfig(AppConfig):
    """SCORM 1.2 and 2004 packages played as course steps, tracked per attempt."""

    name = "courses.scorm"
    label = "scorm"
    verbose_name = "SCORM packages"

    def ready(self) -> None:
        from courses.models import register_course_step
        from lms.accounts.roles import ENABLEMENT_ADMIN_PERMISSIONS

        register_course_step("scorm.ScormPage")
        ENABLEMENT_ADMIN_PERMISSIONS.extend(
            f"scorm.{action}_scormpackage" for action in ("change", "delete")
        )
