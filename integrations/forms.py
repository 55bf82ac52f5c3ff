from __future__ import annotations

from decimal import Decimal
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from integrations.scopes import SCOPES, SERVICE_ONLY
from lms.accounts.forms import PlainLabels
from lms.accounts.models import User


class TokenForm(PlainLabels, forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What or who uses it.")
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            ("personal", _("Personal: sees what you see")),
            ("service", _("Service: acts as an enablement admin")),
        ],
        initial="personal",
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=list(SCOPES.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    expires_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=3650,
        label=_("Expires after (days)"),
        help_text=_("Leave empty for a token that does not expire."),
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.is_enablement_admin:
            kind = cast(forms.ChoiceField, self.fields["kind"])
            kind.choices = [("personal", _("Personal: sees what you see"))]
            cast(forms.ChoiceField, self.fields["scopes"]).choices = [
                (key, label) for key, label in SCOPES.items() if key not in SERVICE_ONLY
            ]


class WebhookForm(PlainLabels, forms.Form):
    url = forms.URLField(
        max_length=500,
        label="URL",
        assume_scheme="https",
        help_text=_("Where to POST events (https)."),
    )
    description = forms.CharField(
        label=_("Description"), max_length=200, required=False
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every event."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        from integrations.webhooks.events import EVENT_TYPES

        super().__init__(*args, **kwargs)
        events = cast(forms.MultipleChoiceField, self.fields["events"])
        events.choices = [(name, name) for name in EVENT_TYPES]


class HubSpotConnectionForm(PlainLabels, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, initial="HubSpot")
    access_token = forms.CharField(
        max_length=500,
        label=_("Private-app access token"),
        strip=True,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "HubSpot → Settings → Integrations → Private apps; the app needs the "
            "crm.objects.deals.read and crm.objects.owners.read scopes. Stored "
            "encrypted and never shown again."
        ),
    )


class SalesforceConnectionForm(PlainLabels, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, initial="Salesforce")
    client_id = forms.CharField(
        max_length=300,
        label=_("Consumer key"),
        strip=True,
        help_text=_(
            "Salesforce → Setup → App Manager → your connected app (OAuth scopes "
            "api and refresh_token, PKCE required, callback URL as below)."
        ),
    )
    client_secret = forms.CharField(
        max_length=300,
        label=_("Consumer secret"),
        strip=True,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored encrypted and never shown again."),
    )
    currency = forms.RegexField(
        regex=r"^[A-Z]{3}$",
        required=False,
        max_length=3,
        label=_("Org currency (single-currency orgs)"),
        help_text=_(
            "The ISO 4217 code of a single-currency org, e.g. USD. Leave empty for "
            "a multi-currency org: each record's CurrencyIsoCode is used."
        ),
        error_messages={"invalid": _("Three capital letters, an ISO 4217 code.")},
    )


class CurrencyRateForm(PlainLabels, forms.Form):
    currency = forms.RegexField(
        regex=r"^[A-Z]{3}$",
        max_length=3,
        label=_("Currency"),
        help_text=_("An ISO 4217 code, e.g. EUR."),
        error_messages={"invalid": _("Three capital letters, an ISO 4217 code.")},
    )
    rate = forms.DecimalField(
        max_digits=18,
        decimal_places=6,
        min_value=Decimal("0.000001"),
        label=_("Rate"),
        help_text=_("What one unit of it is worth in the reporting currency."),
    )


class OwnerMappingForm(PlainLabels, forms.Form):
    owner = forms.IntegerField(widget=forms.HiddenInput)
    person = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("Person"),
        empty_label=_("— nobody —"),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        from integrations.crm.services import mappable_people

        super().__init__(*args, **kwargs)
        person = cast(forms.ModelChoiceField, self.fields["person"])  # type: ignore[type-arg]
        person.queryset = mappable_people().order_by("full_name")
