from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """E-mail notices to people, each sent once: reminders, digests, alerts."""

    name = "lms.notifications"
    label = "notifications"
    verbose_name = "Notifications"
