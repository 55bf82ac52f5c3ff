from __future__ import annotations

from django.http import HttpRequest
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.chooser import ChooserViewSet

from media.models import MediaAsset
from media.views import admin as views


class LessonVideoChooserViewSet(ChooserViewSet):
    """Lets lesson authors pick a ready lesson video (used by lesson blocks)."""

    model = MediaAsset
    icon = "media"
    choose_one_text = "Choose a lesson video"
    choose_another_text = "Choose another video"
    edit_item_text = "View video"

    def get_object_list(self):  # type: ignore[no-untyped-def]
        return MediaAsset.objects.filter(
            kind=MediaAsset.Kind.LESSON_VIDEO, status=MediaAsset.Status.READY
        )


lesson_video_chooser_viewset = LessonVideoChooserViewSet("lesson_video_chooser")


class EnablementAdminMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.is_enablement_admin


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
        "Lesson videos", reverse("lesson_videos:index"), icon_name="media", order=250
    )
