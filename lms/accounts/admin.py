"""The operators' Django admin for people, teams and invitations."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.http import HttpRequest
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from lms.accounts.models import Invitation, Team, User
from lms.accounts.services import user_move_to_team


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = UserCreationForm
    form = UserEditForm
    ordering = ("full_name",)
    list_display = ("email", "full_name", "team", "start_date", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "is_superuser", "team", "groups")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("full_name", "start_date", "time_zone", "team")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "password1", "password2"),
            },
        ),
    )

    def save_model(
        self, request: HttpRequest, obj: User, form: Any, change: bool
    ) -> None:
        # A team move goes through the service so that subscribers hear about it.
        new_team = obj.team
        if change and "team" in form.changed_data:
            obj.team = User.objects.get(pk=obj.pk).team
            super().save_model(request, obj, form, change)
            user_move_to_team(user=obj, team=new_team)
        else:
            super().save_model(request, obj, form, change)


@admin.register(Team)
class TeamAdmin(TreeAdmin):
    form = movenodeform_factory(Team, fields=("name", "managers", "coaches"))
    filter_horizontal = ("managers", "coaches")
    list_display = ("name",)
    search_fields = ("name",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = (
        "email",
        "team",
        "role",
        "invited_by",
        "sent_at",
        "accepted_at",
        "revoked_at",
    )
    list_filter = ("role", "team")
    search_fields = ("email", "full_name")
    readonly_fields = (
        "nonce",
        "created_at",
        "send_requested_at",
        "sent_at",
        "accepted_at",
        "accepted_user",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The link was sent to this address: changing it would hand it to someone else.
        if obj is not None:
            return ("email", *self.readonly_fields)
        return self.readonly_fields
