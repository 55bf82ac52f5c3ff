from django.apps import AppConfig


class CoursesConfig(AppConfig):
    """Courses, lessons, paths, assignments, progress, quizzes and campaigns."""

    name = "courses"
    verbose_name = "Learning"

    def ready(self) -> None:
        from courses import demo
        from lms.demo import DemoStep, register_demo_step
        from lms.navigation import NavItem, register_nav_item

        register_demo_step(DemoStep(30, "courses", demo.seed_courses))

        register_nav_item(
            NavItem("Courses", "/courses/", order=10, is_visible=lambda user: True)
        )
