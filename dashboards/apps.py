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
        self._version_start_page_on_lead_account_changes()
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

    def _version_start_page_on_lead_account_changes(self) -> None:
        """A rep's start page shows who coaches and manages them, by name and e-mail
        address, cached per person (`lms.lib.person_cache`): a change to those of
        someone who coaches or manages a team, or their removal, is a change for
        everyone (rare, and the reps below the team are not listed by any version)."""
        from typing import Any

        from django.db.models import Q
        from django.db.models.signals import post_save, pre_delete

        from lms.accounts.models import Team, User
        from lms.lib import person_cache

        shown = {"full_name", "email"}

        def leads_a_team(user: User) -> bool:
            return Team.objects.filter(Q(coaches=user) | Q(managers=user)).exists()

        def person_saved(
            sender: Any, instance: User, created: bool, **kwargs: Any
        ) -> None:
            fields = kwargs.get("update_fields")
            if created or (fields is not None and not shown & set(fields)):
                return  # a sign-in saves only last_login
            if leads_a_team(instance):
                person_cache.everyone_changed()

        def person_deleted(sender: Any, instance: User, **kwargs: Any) -> None:
            # Before the delete: its cascade removes them from their teams unsignalled.
            if leads_a_team(instance):
                person_cache.everyone_changed()

        uid = "person_cache.start_page_leads"
        post_save.connect(person_saved, sender=User, dispatch_uid=uid, weak=False)
        pre_delete.connect(person_deleted, sender=User, dispatch_uid=uid, weak=False)
