from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from automation.channels.teams import webhook_address_problem
from lms.accounts.models import Team
from lms.notifications.models import Channel, NoticePreference, Timing
from lms.notifications.preferences import NoticeKind


class SlackTokenForm(forms.Form):
    token = forms.CharField(
        label=_("Bot token"),
        widget=forms.PasswordInput(render_value=False),
        max_length=200,
        help_text=_(
            "The app's Bot User OAuth Token (xoxb-…), with the scopes "
            "users:read.email, im:write and chat:write."
        ),
    )

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"].strip()
        if not token.startswith("xoxb-"):
            raise forms.ValidationError(_("A Slack bot token starts with xoxb-."))
        return token


class TeamsWebhookForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.all(), label=_("Team"))
    url = forms.CharField(
        label=_("Webhook address"),
        max_length=2000,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "From the channel's Workflows template “Post to a channel when a "
            "webhook request is received”, or an incoming webhook."
        ),
    )

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"].strip()
        problem = webhook_address_problem(url)
        if problem:
            raise forms.ValidationError(problem)
        return url


class NoticePreferencesForm(forms.Form):
    """One channel (and, for automated messages, a timing) per kind of notice, and
    the pause switch. Only connected chat channels are offered."""

    paused = forms.BooleanField(
        required=False, label=_("Pause all notices (required ones still come)")
    )

    def __init__(
        self,
        *args: Any,
        kinds: list[NoticeKind],
        chat: dict[str, bool],
        current: dict[str, NoticePreference],
        paused: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        self.fields["paused"].initial = paused
        for kind in kinds:
            choices: list[tuple[str, Any]] = [
                (Channel.EMAIL.value, Channel.EMAIL.label)
            ]
            if kind.any_channel:
                choices += [
                    (channel.value, channel.label)
                    for channel in (Channel.SLACK, Channel.TEAMS)
                    if chat.get(channel.value)
                ]
            choices.append((Channel.OFF.value, Channel.OFF.label))
            row = current.get(kind.kind)
            self.fields[f"channel:{kind.kind}"] = forms.ChoiceField(
                label=str(kind.label),
                choices=choices,
                initial=row.channel if row else Channel.EMAIL,
            )
            if kind.any_channel:
                self.fields[f"timing:{kind.kind}"] = forms.ChoiceField(
                    label=gettext("%(notice)s: when") % {"notice": kind.label},
                    choices=Timing.choices,
                    initial=row.timing if row else Timing.IMMEDIATE,
                )

    def rows(self) -> list[tuple[NoticeKind, Any, Any]]:
        return [
            (
                kind,
                self[f"channel:{kind.kind}"],
                self[f"timing:{kind.kind}"] if kind.any_channel else None,
            )
            for kind in self.kinds
        ]
