"""The blocks a lesson is written with."""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

from library.blocks import LibraryItemBlock
from media.blocks import LessonVideoChooserBlock


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("tip", "Tip"), ("warning", "Warning")], default="tip"
    )
    text = blocks.TextBlock()

    class Meta:
        icon = "warning"
        template = "courses/blocks/callout.html"


class VideoBlock(blocks.StructBlock):
    """A lesson video from the media pipeline; watching 90% of the first one in a
    lesson completes it."""

    video = LessonVideoChooserBlock()
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "media"
        template = "courses/blocks/video.html"


class LessonBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        form_classname="title", icon="title", template="courses/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "h3", "h4"], icon="pilcrow"
    )
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentChooserBlock(
        icon="doc-full", template="courses/blocks/document.html"
    )
    callout = CalloutBlock()
    library_item = LibraryItemBlock()
