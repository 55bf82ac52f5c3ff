from __future__ import annotations

from django.apps import AppConfig


class AutomationConfig(AppConfig):
    """Calendar feeds of due dates, deadlines and expiries, and the nudge
    sequences enablement admins write (what is sent on its own)."""

    name = "automation"
    verbose_name = "Automation"

    def ready(self) -> None:
        from automation import demo
        from automation.calendars import event_revisions
        from lms.accounts.roles import ENABLEMENT_ADMIN_PERMISSIONS
        from lms.demo import DemoStep, register_demo_step
        from lms.lib.ics import register_revision_keeper
        from lms.navigation import ProfileLink, register_profile_link

        register_revision_keeper(event_revisions)
        ENABLEMENT_ADMIN_PERMISSIONS.extend(
            f"automation.{action}_sequence" for action in ("add", "change", "delete")
        )
        register_demo_step(DemoStep(80, "nudge sequences", demo.seed_sequences))
        register_profile_link(
            ProfileLink(
                "Calendar feed",
                "calendar_settings",
                "your due dates in your own calendar app (Google, Outlook, Apple).",
            )
        )
