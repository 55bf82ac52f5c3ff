from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """Courses, lessons, paths, assignments, progress, quizzes and campaigns."""

    name = "courses"
    verbose_name = _("Learning")

    def ready(self) -> None:
        from wagtail.signals import page_published, page_unpublished

        from courses import demo, library_links, signal_handlers
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
        # No sender: Wagtail sends a page's own class, and quiz, practice and SCORM
        # steps are lessons too (the handler keeps to lessons).
        page_published.connect(signal_handlers.recount_on_lesson_change)
        page_unpublished.connect(signal_handlers.recount_on_lesson_change)
        self._version_cached_progress_on_change()
        register_demo_step(DemoStep(30, "courses", demo.seed_courses))
        register_search_source("courses", library_links.lessons_and_courses_matching)
        register_related_source("lessons", library_links.lessons_showing)
        register_nav_item(
            NavItem(
                _("My learning"), "my_learning", order=5, is_visible=lambda user: True
            )
        )

        register_nav_item(
            NavItem(_("Courses"), "/courses/", order=10, is_visible=lambda user: True)
        )

    def _version_cached_progress_on_change(self) -> None:
        """A person's cached progress (`courses.selectors.learning_state`) is not read
        again after a completion or an assignment change of theirs, nor anyone's after
        a change to content or paths."""
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Page
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from courses.models import (
            Assignment,
            LearningPath,
            LessonCompletion,
            PathStep,
        )
        from lms.lib import person_cache

        uid = "person_cache"
        for model in (Assignment, LessonCompletion):
            post_save.connect(
                person_cache.on_person_row_change, sender=model, dispatch_uid=uid
            )
            post_delete.connect(
                person_cache.on_person_row_change, sender=model, dispatch_uid=uid
            )
        for model in (LearningPath, PathStep):
            post_save.connect(
                person_cache.on_shared_change, sender=model, dispatch_uid=uid
            )
            post_delete.connect(
                person_cache.on_shared_change, sender=model, dispatch_uid=uid
            )
        post_delete.connect(
            person_cache.on_shared_change, sender=Page, dispatch_uid=uid
        )
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(person_cache.on_shared_change, dispatch_uid=uid)
