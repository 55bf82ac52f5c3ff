from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate, CertificationProgram
from certificates.selectors import EXPIRY_HORIZONS
from lms.accounts.models import User


class TeamFilterForm(forms.Form):
    """Filters of the managers' certificate list."""

    status = forms.ChoiceField(
        choices=[("", _("Any status")), *Certificate.Status.choices],
        required=False,
        label=_("Status"),
    )
    program = forms.ModelChoiceField(
        CertificationProgram.objects.all(),
        required=False,
        empty_label=_("Every program"),
        label=_("Program"),
    )
    expiring = forms.TypedChoiceField(
        choices=[("", _("Any time"))]
        + [
            (str(days), format_lazy(_("Expiring within {days} days"), days=days))
            for days in EXPIRY_HORIZONS
        ],
        coerce=int,
        empty_value=None,
        required=False,
        label=_("Expiry"),
    )


class ReasonForm(forms.Form):
    """Revoking: the reason goes in the audit log."""

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Reason"),
        help_text=_("Required. Recorded in the audit log; nobody can edit it later."),
    )

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason."))
        return reason


class IssueManuallyForm(ReasonForm):
    """Issuing by hand: who, which program, and why."""

    user = forms.ModelChoiceField(
        User.objects.filter(is_active=True).order_by("full_name"), label=_("Person")
    )
    program = forms.ModelChoiceField(
        CertificationProgram.objects.filter(active=True), label=_("Program")
    )
    field_order = ["user", "program", "reason"]
