"""StreamField blocks that other apps use to show media."""

from media.viewsets import lesson_video_chooser_viewset

LessonVideoChooserBlock = lesson_video_chooser_viewset.get_block_class(
    name="LessonVideoChooserBlock", module_path="media.blocks"
)
