"""Forms of the coaching pages. They only shape input: the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext, gettext_lazy

from coaching.models import (
    SCALE,
    CallAnalysis,
    Comment,
    Rubric,
    RubricCriterion,
    Submission,
)
from coaching.permissions import coaches_to_choose
from lms.accounts.models import User
from media.models import MediaAsset

COMMENT_MAX_LENGTH = 2000


class RecordingChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        when = formats.date_format(timezone.localtime(obj.created_at), "DATE_FORMAT")
        if obj.status == MediaAsset.Status.READY:
            return f"{obj} · {when}"
        return f"{obj} · {when} {gettext('(processing)')}"


class CoachChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.email)


def usable_recordings(user: User) -> QuerySet[MediaAsset]:
    return MediaAsset.objects.filter(
        owner=user,
        kind=MediaAsset.Kind.RECORDING,
        status__in=[
            MediaAsset.Status.UPLOADED,
            MediaAsset.Status.PROCESSING,
            MediaAsset.Status.READY,
        ],
    ).order_by("-created_at")


class ReviewRequestForm(forms.Form):
    """A rep asks for a review of a real call."""

    asset = RecordingChoiceField(
        queryset=MediaAsset.objects.none(),
        label=gettext_lazy("Recording"),
        empty_label=gettext_lazy("Choose a recording"),
    )
    title = forms.CharField(max_length=200, label=gettext_lazy("Call title"))
    deal_stage = forms.ChoiceField(
        choices=[
            ("", gettext_lazy("Not in a deal / other")),
            *Submission.DealStage.choices,
        ],
        required=False,
        label=gettext_lazy("Deal stage"),
    )
    feedback_wanted = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        label=gettext_lazy("What do you want feedback on?"),
    )
    rubric = forms.ModelChoiceField(
        queryset=Rubric.objects.all(), label=gettext_lazy("Rubric"), empty_label=None
    )
    coach = CoachChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=gettext_lazy("Coach"),
        empty_label=gettext_lazy("Any coach of my team"),
    )
    rep_channel = forms.TypedChoiceField(
        choices=CallAnalysis.RepChannel.choices,
        coerce=int,
        initial=CallAnalysis.RepChannel.FIRST,
        required=False,
        empty_value=0,  # type: ignore[arg-type]  # the first channel
        label=gettext_lazy("Which channel are you on?"),
        help_text=gettext_lazy(
            "Dialers and meeting tools record calls with one speaker per channel, "
            "usually you first (left). Used for your talk ratio; one-channel "
            "recordings have none."
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["asset"].queryset = usable_recordings(user)  # type: ignore[attr-defined]
        self.fields["coach"].queryset = coaches_to_choose(user)  # type: ignore[attr-defined]


class RepChannelForm(forms.Form):
    """Which channel of a two-channel call is the rep, corrected after the fact."""

    rep_channel = forms.TypedChoiceField(
        choices=CallAnalysis.RepChannel.choices,
        coerce=int,
        label=gettext_lazy("The rep is on the"),
    )


class AddTakeForm(forms.Form):
    """A practice take: one of the rep's recordings."""

    asset = RecordingChoiceField(
        queryset=MediaAsset.objects.none(),
        label=gettext_lazy("Recording"),
        empty_label=gettext_lazy("Choose a recording"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["asset"].queryset = usable_recordings(user)  # type: ignore[attr-defined]


class SendTakeForm(forms.Form):
    coach = CoachChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=gettext_lazy("Coach"),
        empty_label=gettext_lazy("Any coach of my team"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches_to_choose(user)  # type: ignore[attr-defined]


class CommentForm(forms.Form):
    """A comment on the timeline, or a reply (with parent, without a time)."""

    text = forms.CharField(max_length=COMMENT_MAX_LENGTH, strip=True)
    start_seconds = forms.DecimalField(
        required=False, min_value=Decimal(0), max_digits=8, decimal_places=2
    )
    end_seconds = forms.DecimalField(
        required=False, min_value=Decimal(0), max_digits=8, decimal_places=2
    )
    kind = forms.ChoiceField(choices=[("", "—"), *Comment.Kind.choices], required=False)
    parent = forms.IntegerField(required=False, min_value=1)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("parent") is None and data.get("start_seconds") is None:
            self.add_error(
                "start_seconds", gettext("A comment needs a time on the recording.")
            )
        start, end = data.get("start_seconds"), data.get("end_seconds")
        if start is not None and end is not None and end <= start:
            self.add_error("end_seconds", gettext("The end must come after the start."))
        return data


def _criterion_field(criterion: RubricCriterion) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=criterion.name,
        choices=[(level, f"{level} — {text}") for level, text in criterion.levels],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext("Score “%(criterion)s” from 1 to 5.")
            % {"criterion": criterion.name}
        },
    )


class RubricLevelsMixin:
    criteria: list[RubricCriterion]
    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def _add_criteria(self, criteria: list[RubricCriterion]) -> None:
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"criterion_{criterion.pk}"] = _criterion_field(criterion)

    def levels(self) -> dict[int, int]:
        return {
            criterion.pk: int(self.cleaned_data[f"criterion_{criterion.pk}"])
            for criterion in self.criteria
            if self.cleaned_data.get(f"criterion_{criterion.pk}") in SCALE
        }


class ReviewSubmitForm(RubricLevelsMixin, forms.Form):
    """The coach's scores, summary and outcome."""

    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        label=gettext_lazy("Summary for the rep"),
    )
    outcome = forms.ChoiceField(
        choices=Submission.Outcome.choices,
        widget=forms.RadioSelect,
        label=gettext_lazy("Outcome"),
    )

    def __init__(
        self, *args: Any, criteria: list[RubricCriterion], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._add_criteria(criteria)


class SelfReviewForm(RubricLevelsMixin, forms.Form):
    """The rep scores their own take before sending it."""

    def __init__(
        self, *args: Any, criteria: list[RubricCriterion], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._add_criteria(criteria)
