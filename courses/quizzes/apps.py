from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    """Question banks, quizzes as course steps, attempts graded on the server."""

    name = "courses.quizzes"
    label = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self) -> None:
        from courses.models import register_course_step
        from courses.quizzes import demo
        from lms.accounts.roles import ENABLEMENT_ADMIN_PERMISSIONS
        from lms.demo import DemoStep, register_demo_step

        register_course_step("quizzes.QuizPage")
        ENABLEMENT_ADMIN_PERMISSIONS.extend(
            f"quizzes.{action}_{model}"
            for action in ("add", "change", "delete")
            for model in ("questionbank", "question")
        )
        register_demo_step(DemoStep(40, "quizzes", demo.seed_quizzes))
