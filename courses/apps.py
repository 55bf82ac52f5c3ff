from django.apps import AppConfig


class CoursesConfig(AppConfig):
    """Courses, lessons, paths, assignments, progress, quizzes and campaigns."""

    name = "courses"
    verbose_name = "Learning"

    def ready(self) -> None:
        from wagtail.signals import page_published, page_unpublished

        from courses import demo, library_links, signal_handlers
        from courses.models import LessonPage
        from library.extensions import register_related_source, register_search_source
        from lms.accounts.roles import ENABLEMENT_ADMIN_PERMISSIONS
        from lms.accounts.signals import user_team_changed
        from lms.demo import DemoStep, register_demo_step
        from lms.navigation import NavItem, register_nav_item

        ENABLEMENT_ADMIN_PERMISSIONS.extend(
            f"courses.{action}_{model}"
            for action in ("add", "change", "delete")
            for model in ("learningpath", "trainingcampaign")
        )
        user_team_changed.connect(signal_handlers.assign_paths_on_team_change)
        page_published.connect(
            signal_handlers.recount_on_lesson_change, sender=LessonPage
        )
        page_unpublished.connect(
            signal_handlers.recount_on_lesson_change, sender=LessonPage
        )
        register_demo_step(DemoStep(30, "courses", demo.seed_courses))
        register_search_source("courses", library_links.lessons_and_courses_matching)
        register_related_source("lessons", library_links.lessons_showing)
        register_nav_item(
            NavItem("My learning", "my_learning", order=5, is_visible=lambda user: True)
        )

        register_nav_item(
            NavItem("Courses", "/courses/", order=10, is_visible=lambda user: True)
        )
