from __future__ import annotations

import zoneinfo

from allauth.account.forms import (
    ChangePasswordForm,
    LoginForm,
    ResetPasswordForm,
    ResetPasswordKeyForm,
)
from django import forms
from django.contrib.auth import password_validation
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from lms.accounts import visibility
from lms.accounts.models import Invitation, Team, User
from lms.accounts.services import InvitationRequest


def _time_zone_choices() -> list[tuple[str, str]]:
    return [
        (name, name.replace("_", " "))
        for name in sorted(zoneinfo.available_timezones())
    ]


# The password rules in the reader's language: worded when the form is shown.
_password_rules = lazy(
    password_validation.password_validators_help_text_html, SafeString
)


class PlainLabels:
    """Labels without Django's trailing colon, as everywhere in Onramp."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]


class SignInForm(PlainLabels, LoginForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("E-mail address")
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["password"].widget.attrs.pop("placeholder", None)
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me signed in on this device")


class PasswordResetForm(PlainLabels, ResetPasswordForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")
        self.fields["email"].widget.attrs.pop("placeholder", None)


class ChosenPasswordFields:
    """A new password typed twice, with the invitation's words: allauth's have no
    Bengali. For choosing a password from a reset link and for changing it."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        fields = self.fields  # type: ignore[attr-defined]
        fields["password1"].label = _("Choose a password")
        fields["password2"].label = _("Repeat the password")
        for field in fields.values():
            field.widget.attrs.pop("placeholder", None)

    def clean(self) -> dict[str, object]:
        # allauth's check (PasswordVerificationMixin) says it in its words: ours.
        data = forms.Form.clean(self) or {}  # type: ignore[arg-type]
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))  # type: ignore[attr-defined]
        return data


class NewPasswordForm(PlainLabels, ChosenPasswordFields, ResetPasswordKeyForm):
    pass


class PasswordChangeForm(PlainLabels, ChosenPasswordFields, ChangePasswordForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["oldpassword"].label = _("Current password")


class InvitationForm(PlainLabels, forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(), empty_label=_("Choose a team"), label=_("Team")
    )
    role = forms.ChoiceField(
        choices=Invitation.Role.choices, initial=Invitation.Role.REP, label=_("Role")
    )
    start_date = forms.DateField(
        label=_("Start date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The hire date: onboarding steps fall due counted from it."),
    )

    def __init__(self, *args: object, inviter: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["team"].queryset = visibility.managed_teams(inviter)  # type: ignore[attr-defined]
        self.fields["start_date"].initial = timezone.localdate()

    def to_request(self) -> InvitationRequest:
        data = self.cleaned_data
        return InvitationRequest(
            email=data["email"],
            full_name=data["full_name"],
            team=data["team"],
            role=data["role"],
            start_date=data["start_date"],
        )


class InvitationAcceptForm(PlainLabels, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    time_zone = forms.ChoiceField(
        label=_("Your time zone"),
        choices=_time_zone_choices,
        help_text=_("Due dates and reminders follow it."),
    )
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_password_rules(),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: object, invitation: Invitation, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.invitation = invitation
        self.fields["full_name"].initial = invitation.full_name
        self.fields["time_zone"].initial = invitation.invited_by.time_zone

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            candidate = User(
                email=self.invitation.email, full_name=data.get("full_name", "")
            )
            try:
                password_validation.validate_password(str(password1), candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class ProfileForm(PlainLabels, forms.ModelForm):
    # A field declared here takes no label from Meta.labels: it names its own.
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_time_zone_choices)

    class Meta:
        model = User
        fields = ["full_name", "language", "time_zone", "weekly_digest"]
        labels = {
            "full_name": _("Full name"),
            "language": _("Language"),
            "weekly_digest": _("Send me a weekly digest of open training"),
        }
        help_texts = {
            "language": _("Pages and e-mails in this language. Empty: your browser's."),
            "weekly_digest": _(
                "A Monday e-mail listing open training with due dates and progress. "
                "Notices of new, nearly due and overdue training are always sent."
            ),
        }
