from __future__ import annotations

from django import forms

from certificates.models import Certificate, CertificationProgram
from certificates.selectors import EXPIRY_HORIZONS
from lms.accounts.models import User


class TeamFilterForm(forms.Form):
    """Filters of the managers' certificate list."""

    status = forms.ChoiceField(
        choices=[("", "Any status"), *Certificate.Status.choices], required=False
    )
    program = forms.ModelChoiceField(
        CertificationProgram.objects.all(),
        required=False,
        empty_label="Every program",
    )
    expiring = forms.TypedChoiceField(
        choices=[("", "Any time")]
        + [(str(days), f"Expiring within {days} days") for days in EXPIRY_HORIZONS],
        coerce=int,
        empty_value=None,
        required=False,
        label="Expiry",
    )


class ReasonForm(forms.Form):
    """Revoking: the reason goes in the audit log."""

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required. Recorded in the audit log; nobody can edit it later.",
    )

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError("Give a reason.")
        return reason


class IssueManuallyForm(ReasonForm):
    """Issuing by hand: who, which program, and why."""

    user = forms.ModelChoiceField(
        User.objects.filter(is_active=True).order_by("full_name"), label="Person"
    )
    program = forms.ModelChoiceField(
        CertificationProgram.objects.filter(active=True), label="Program"
    )
    field_order = ["user", "program", "reason"]
