from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from integrations.models import LrsEndpoint


class LrsEndpointForm(forms.ModelForm[LrsEndpoint]):
    """An LRS's address and credentials. The password is never shown again: left
    empty on an edit, the stored one stays."""

    password = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        label=_("Password"),
        help_text=_(
            "Basic auth password (the LRS's secret). Left empty when editing: "
            "unchanged."
        ),
    )

    class Meta:
        model = LrsEndpoint
        fields = ["name", "url", "username", "password", "version", "active"]
        labels = {
            "name": _("Name"),
            "url": _("Address"),
            "username": _("User name"),
            "version": _("xAPI version"),
            "active": pgettext_lazy("switched on", "Active"),
        }

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        if not url.startswith(("https://", "http://")):
            raise forms.ValidationError(_("The address must start with https://."))
        return url

    def save(self, commit: bool = True) -> LrsEndpoint:
        endpoint: LrsEndpoint = super().save(commit=False)
        if not self.cleaned_data.get("password") and self.instance.pk:
            endpoint.password = LrsEndpoint.objects.get(pk=self.instance.pk).password
        if commit:
            endpoint.save()
        return endpoint

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["password"].help_text = _(
                "Basic auth password (the LRS's secret)."
            )
