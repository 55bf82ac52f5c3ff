from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AutomationConfig(AppConfig):
    """Calendar feeds of due dates, deadlines and expiries, and the nudge
    sequences enablement admins write (what is sent on its own)."""

    name = "automation"
    verbose_name = _("Automation")

    def ready(self) -> None:
        from automation import demo
        from automation.calendars import event_revisions
        from automation.notice_kinds import notice_kinds
        from lms.accounts.roles import ENABLEMENT_ADMIN_PERMISSIONS
        from lms.demo import DemoStep, register_demo_step
        from lms.lib.ics import register_revision_keeper
        from lms.navigation import ProfileLink, register_profile_link
        from lms.notifications.preferences import register_notice_kind

        register_revision_keeper(event_revisions)
        for kind in notice_kinds():
            register_notice_kind(kind)
        register_profile_link(
            ProfileLink(
                _("Notification preferences"),
                "notice_preferences",
                _(
                    "where each kind of notice reaches you (e-mail, Slack, Teams), "
                    "a daily digest, or a pause."
                ),
            )
        )
        ENABLEMENT_ADMIN_PERMISSIONS.extend(
            f"automation.{action}_sequence" for action in ("add", "change", "delete")
        )
        register_demo_step(DemoStep(80, "nudge sequences", demo.seed_sequences))
        register_demo_step(
            DemoStep(81, "Slack and Teams (offline fakes)", demo.seed_offline_chat)
        )
        register_profile_link(
            ProfileLink(
                _("Calendar feed"),
                "calendar_settings",
                _("your due dates in your own calendar app (Google, Outlook, Apple)."),
            )
        )
