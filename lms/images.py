"""Wagtail's image form, hardened against files that only look like images.

Wagtail recognises an upload by its first bytes, so a file that starts like a PNG
passes until Pillow reads its header to count pixels; Pillow's "cannot identify
image" error then escaped as a server error. Here it becomes the form's "not a valid
image" error, in every form that uploads images (add, multiple add, the chooser's
upload, replacing a file). Settings: WAGTAILIMAGES_IMAGE_FORM_BASE.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

# What Pillow raises for data it cannot read as the format the header claims:
# UnidentifiedImageError is an OSError; truncated or malformed headers raise the rest.
UNREADABLE_IMAGE_ERRORS = (OSError, SyntaxError, ValueError, EOFError)


class CheckedImageField(WagtailImageField):
    def check_image_pixel_size(self, f: Any) -> None:
        try:
            super().check_image_pixel_size(f)
        except UNREADABLE_IMAGE_ERRORS as error:
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from error


class ImageForm(BaseImageForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        file_field = self.fields.get("file")
        if file_field is not None:
            self.fields["file"] = CheckedImageField(
                label=file_field.label,
                required=file_field.required,
                widget=file_field.widget,
            )
