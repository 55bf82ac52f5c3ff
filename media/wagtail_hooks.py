from __future__ import annotations

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.chooser import ChooserViewSet

from lms.lib.requests import signed_in_user
from media.views import admin as views
from media.viewsets import lesson_video_chooser_viewset


class EnablementAdminMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return signed_in_user(request).is_enablement_admin


@hooks.register("register_admin_viewset")
def register_lesson_video_chooser() -> ChooserViewSet:
    return lesson_video_chooser_viewset


@hooks.register("register_admin_urls")
def register_lesson_video_urls() -> list:  # type: ignore[type-arg]
    urls = [
        path("", views.lesson_video_index, name="index"),
        path("<uuid:public_id>/", views.lesson_video_detail, name="detail"),
        path("<uuid:public_id>/delete/", views.lesson_video_delete, name="delete"),
    ]
    return [path("lesson-videos/", include((urls, "lesson_videos")))]


@hooks.register("register_admin_menu_item")
def register_lesson_video_menu_item() -> MenuItem:
    return EnablementAdminMenuItem(
        gettext_lazy("Lesson videos"),
        reverse("lesson_videos:index"),
        icon_name="media",
        order=250,
    )
