from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """Courses, lessons, paths, assignments, progress, quizzes and campaigns."""

    name = "courses"
    verbose_name = "Learning"

    def ready(self) -> None:
        from wagtail.signals import page_published, page_unpublished

        from courses import demo, signal_handlers
        from courses.models import LessonPage
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
        register_nav_item(
            NavItem(
                _("My learning"), "my_learning", order=5, is_visible=lambda user: True
            )
        )

        register_nav_item(
            NavItem(_("Courses"), "/courses/", order=10, is_visible=lambda user: True)
        )
