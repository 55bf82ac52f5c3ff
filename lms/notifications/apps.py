from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """E-mail notices to people, each sent once: reminders, digests, alerts."""

    name = "lms.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
