from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """Start pages, the managers' dashboards, exports, digests and ramp analytics."""

    name = "dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self) -> None:
        from dashboards import demo
        from dashboards.views import start_page_context
        from lms.demo import DemoStep, register_demo_step
        from lms.navigation import NavItem, register_nav_item
        from lms.start_page import StartPage, register_start_page

        register_demo_step(DemoStep(70, "dashboards", demo.seed_outcomes))
        register_nav_item(
            NavItem(
                _("My team"),
                "team_overview",
                order=30,
                is_visible=lambda user: user.is_manager or user.is_enablement_admin,
            )
        )
        self._version_start_page_on_share_opens()
        register_start_page(
            StartPage(template="dashboards/start_page.html", context=start_page_context)
        )

    def _version_start_page_on_share_opens(self) -> None:
        """A prospect opening a rep's share link changes the rep's start page (their
        engaged prospects), cached per person (`lms.lib.person_cache`)."""
        from typing import Any

        from django.db.models.signals import post_delete, post_save

        from library.models import ShareOpen
        from lms.lib import person_cache

        def share_opened(sender: Any, instance: ShareOpen, **kwargs: Any) -> None:
            # Only opens count towards engaged prospects; downloads do not.
            if instance.action == ShareOpen.Action.OPEN:
                person_cache.person_changed(user_ids=[instance.link.rep_id])

        uid = "person_cache"
        post_save.connect(share_opened, sender=ShareOpen, dispatch_uid=uid, weak=False)
        post_delete.connect(
            share_opened, sender=ShareOpen, dispatch_uid=uid, weak=False
        )
