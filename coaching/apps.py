from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    """Review requests, reviews, time-stamped comments, rubrics, practice prompts."""

    name = "coaching"
    verbose_name = _("Coaching")

    def ready(self) -> None:
        from coaching import demo
        from coaching.permissions import take_recording_grant
        from courses.models import register_course_step
        from lms.accounts.roles import ENABLEMENT_ADMIN_PERMISSIONS
        from lms.demo import DemoStep, register_demo_step
        from lms.navigation import NavItem, register_nav_item
        from media.permissions import register_recording_grant

        register_course_step("coaching.PracticePage")
        register_recording_grant("coaching takes", take_recording_grant)
        ENABLEMENT_ADMIN_PERMISSIONS.extend(
            f"coaching.{action}_rubric" for action in ("add", "change", "delete")
        )
        register_nav_item(
            NavItem(_("My coaching"), "coaching_mine", order=20, is_visible=_is_rep)
        )
        register_nav_item(
            NavItem(_("Coaching"), "coaching_queue", order=21, is_visible=_is_coach)
        )
        register_demo_step(DemoStep(50, "coaching", demo.seed_coaching))
        register_demo_step(DemoStep(55, "onboarding progress", demo.seed_onboarding))


def _is_rep(user) -> bool:  # type: ignore[no-untyped-def]
    return bool(user.is_rep)


def _is_coach(user) -> bool:  # type: ignore[no-untyped-def]
    return bool(user.is_coach)
