from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    """Question banks, quizzes as course steps, attempts graded on the server."""

    name = "courses.quizzes"
    label = "quizzes"
    verbose_name = "Quizzes"

    def ready(self) -> None:
        from courses.models import register_course_step

        register_course_step("quizzes.QuizPage")
