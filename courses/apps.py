from django.apps import AppConfig


class CoursesConfig(AppConfig):
    """Courses, lessons, paths, assignments, progress, quizzes and campaigns."""

    name = "courses"
    verbose_name = "Learning"
