from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from wagtail.admin.viewsets.chooser import ChooserViewSet

from media.models import MediaAsset


class LessonVideoChooserViewSet(ChooserViewSet):
    """Lets lesson authors pick a ready lesson video (used by lesson blocks)."""

    model = MediaAsset
    icon = "media"
    choose_one_text = gettext_lazy("Choose a lesson video")
    choose_another_text = gettext_lazy("Choose another video")
    edit_item_text = gettext_lazy("View video")

    def get_object_list(self) -> QuerySet[MediaAsset]:
        return MediaAsset.objects.filter(
            kind=MediaAsset.Kind.LESSON_VIDEO, status=MediaAsset.Status.READY
        )


lesson_video_chooser_viewset = LessonVideoChooserViewSet("lesson_video_chooser")
