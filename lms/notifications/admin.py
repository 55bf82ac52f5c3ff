"""The operators' view of the notices sent: to check one went out, or to delete its
row so that the next run sends it again."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from lms.notifications.models import NotificationLog


@admin.register(NotificationLog)
class NotificationLogAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "user", "kind", "key"]
    list_filter = ["kind"]
    search_fields = ["user__email", "user__full_name", "key"]
    list_select_related = ["user"]
    readonly_fields = ["user", "kind", "key", "sent_at"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
