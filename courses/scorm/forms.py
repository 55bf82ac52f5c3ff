from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage
from courses.scorm.models import ScormPackage
from courses.scorm.services import may_add_step


class PackageUploadForm(forms.Form):
    """The admin's upload: a new package, or a new version of one."""

    file = forms.FileField(
        label=_("Package (.zip)"),
        help_text=_(
            "A SCORM 1.2 or 2004 package: a zip with imsmanifest.xml at its top."
        ),
    )
    package = forms.ModelChoiceField(
        queryset=ScormPackage.objects.order_by("title"),
        required=False,
        label=_("New version of"),
        help_text=_(
            "Leave empty for a new package. Attempts already started stay on "
            "the version they were started on."
        ),
    )
    title = forms.CharField(
        max_length=255,
        required=False,
        label=_("Title"),
        help_text=_("For a new package; leave empty to use the manifest's title."),
    )
    course = forms.ModelChoiceField(
        queryset=CoursePage.objects.order_by("title"),
        required=False,
        label=_("Add as the last step of"),
        help_text=_("For a new package: adds a published SCORM step to this course."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only courses this person may add steps to and publish in (Wagtail's
        # page permissions); the service checks again.
        field = self.fields["course"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = CoursePage.objects.filter(
            pk__in=[
                course.pk
                for course in CoursePage.objects.all()
                if may_add_step(user, course)
            ]
        ).order_by("title")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("package") and data.get("course"):
            self.add_error(
                "course",
                _(
                    "A new version replaces the package in the steps that already "
                    "play it; choose a course only for a new package."
                ),
            )
        return data
