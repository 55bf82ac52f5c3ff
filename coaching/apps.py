from django.apps import AppConfig


class CoachingConfig(AppConfig):
    """Review requests, reviews, time-stamped comments, rubrics, practice prompts."""

    name = "coaching"
    verbose_name = "Coaching"

    def ready(self) -> None:
        from courses.models import register_course_step
        from lms.accounts.roles import ENABLEMENT_ADMIN_PERMISSIONS

        register_course_step("coaching.PracticePage")
        ENABLEMENT_ADMIN_PERMISSIONS.extend(
            f"coaching.{action}_rubric" for action in ("add", "change", "delete")
        )
