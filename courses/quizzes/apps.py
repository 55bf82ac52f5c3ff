from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    """Question banks, quizzes as course steps, attempts graded on the server."""

    name = "courses.quizzes"
    label = "quizzes"
    verbose_name = "Quizzes"

    def ready(self) -> None:
        from courses.models import register_course_step
        from lms.accounts.roles import ENABLEMENT_ADMIN_PERMISSIONS

        register_course_step("quizzes.QuizPage")
        ENABLEMENT_ADMIN_PERMISSIONS.extend(
            f"quizzes.{action}_{model}"
            for action in ("add", "change", "delete")
            for model in ("questionbank", "question")
        )
