"""The blocks a lesson is written with."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

from library.blocks import LibraryItemBlock
from media.blocks import LessonVideoChooserBlock


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("tip", _("Tip")), ("warning", _("Warning"))],
        default="tip",
        label=_("Kind"),
    )
    text = blocks.TextBlock(label=_("Text"))

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "courses/blocks/callout.html"


class VideoBlock(blocks.StructBlock):
    """A lesson video from the media pipeline; watching 90% of the first one in a
    lesson completes it."""

    video = LessonVideoChooserBlock(label=_("Video"))
    caption = blocks.CharBlock(required=False, label=_("Caption"))

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"


class LessonBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        form_classname="title",
        icon="title",
        template="courses/blocks/heading.html",
        label=_("Heading"),
    )
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "h3", "h4"],
        icon="pilcrow",
        label=_("Paragraph"),
    )
    image = ImageBlock(label=_("Image"))
    video = VideoBlock()
    document = DocumentChooserBlock(
        icon="doc-full", template="courses/blocks/document.html", label=_("Document")
    )
    callout = CalloutBlock()
    library_item = LibraryItemBlock()
