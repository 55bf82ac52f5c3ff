"""The filters of "My team", read from the query string so that a link, the page and
its exports always show the same people in the same order."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from dashboards.team import ROLES, SORTS, STATUSES, TeamFilters


class TeamFilterForm(forms.Form):
    team = forms.IntegerField(required=False, label=_("Team"))
    role = forms.ChoiceField(
        required=False, label=_("Role"), choices=[("", _("Everyone")), *ROLES.items()]
    )
    cohort = forms.CharField(required=False, label=_("Started in"))
    status = forms.ChoiceField(
        required=False, label=_("Status"), choices=[("", _("Any")), *STATUSES.items()]
    )
    sort = forms.CharField(required=False)
    path = forms.IntegerField(required=False, label=_("Path"))

    def clean_cohort(self) -> dt.date | None:
        value = self.cleaned_data["cohort"]
        if not value:
            return None
        year, _dash, month = value.partition("-")
        try:
            return dt.date(int(year), int(month), 1)
        except ValueError:
            raise forms.ValidationError(
                _("Choose a start month written as YYYY-MM.")
            ) from None

    def clean_sort(self) -> str:
        value = self.cleaned_data["sort"] or "name"
        if value.lstrip("-") not in SORTS:
            raise forms.ValidationError(_("Unknown sort order."))
        return value

    def filters(self) -> TeamFilters:
        """The filters chosen; only call after is_valid()."""
        data = self.cleaned_data
        return TeamFilters(
            team_id=data["team"],
            role=data["role"],
            cohort=data["cohort"],
            status=data["status"],
            sort=data["sort"],
            path_id=data["path"],
        )
