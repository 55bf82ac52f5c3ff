from django.apps import AppConfig


class CoachingConfig(AppConfig):
    """Review requests, reviews, time-stamped comments, rubrics, practice prompts."""

    name = "coaching"
    verbose_name = "Coaching"

    def ready(self) -> None:
        from courses.models import register_course_step

        register_course_step("coaching.PracticePage")
