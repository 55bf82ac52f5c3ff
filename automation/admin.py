"""The operators' view of the delivery log: what went out on which channel, and why
something failed or was skipped."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from automation.models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "key", "channel", "status", "retries"]
    list_filter = ["channel", "status", "kind"]
    search_fields = ["user__email", "user__full_name", "key"]
    list_select_related = ["user"]
    readonly_fields = [field.name for field in Delivery._meta.fields]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: Delivery | None = None
    ) -> bool:
        return False
