from __future__ import annotations

from django.apps import AppConfig


class AutomationConfig(AppConfig):
    """Calendar feeds of due dates, deadlines and expiries (and, above the
    reminders, what is sent on its own)."""

    name = "automation"
    verbose_name = "Automation"

    def ready(self) -> None:
        from automation.calendars import event_revisions
        from lms.lib.ics import register_revision_keeper
        from lms.navigation import ProfileLink, register_profile_link

        register_revision_keeper(event_revisions)
        register_profile_link(
            ProfileLink(
                "Calendar feed",
                "calendar_settings",
                "your due dates in your own calendar app (Google, Outlook, Apple).",
            )
        )
