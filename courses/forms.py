from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage, LearningPath
from lms.accounts import visibility
from lms.accounts.forms import PlainLabels
from lms.accounts.models import User
from lms.lib import clock
from lms.pages import in_source_language


def managed_members(user: User) -> QuerySet[User]:
    """The people a manager (or admin) may assign training to."""
    return User.objects.filter(
        team__in=visibility.managed_teams(user), is_active=True
    ).select_related("team")


class AssignmentForm(PlainLabels, forms.Form):
    path = forms.ModelChoiceField(
        queryset=LearningPath.objects.all(),
        required=False,
        label=_("Path"),
        empty_label=_("No path"),
    )
    course = forms.ModelChoiceField(
        queryset=in_source_language(CoursePage.objects.live()),
        required=False,
        label=_("Course"),
        empty_label=_("No course"),
    )
    people = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("People"),
        help_text=_("People who already have it open are left as they are."),
    )
    due_date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label=_("Due date"),
        help_text=_("Leave empty for a path to count due dates from each start date."),
    )

    def __init__(self, *args: object, assigner: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.assigner = assigner
        self.fields["people"].queryset = managed_members(assigner)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if bool(data.get("path")) == bool(data.get("course")):
            raise forms.ValidationError(_("Choose either a path or a course."))
        if data.get("course") and not data.get("due_date"):
            self.add_error("due_date", _("A course needs a due date."))
        return data

    def due_at(self) -> dt.datetime | None:
        """The end of the due day, in the assigner's time zone."""
        day = self.cleaned_data.get("due_date")
        if day is None:
            return None
        return clock.end_of_day(day, self.assigner.time_zone)
