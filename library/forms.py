"""Forms of the library: the admin's item form (with its file upload)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from library import services
from library.models import ItemFlag, LibraryItem
from lms.lib import clock
from lms.pages import source_language


def locale_name(language: str) -> str:
    """A language's name in the active language ("English", "inglés")."""
    return str(translation.get_language_info(language)["name_translated"])


class LibraryItemForm(WagtailAdminModelForm):
    """The item form in the Wagtail admin. A file uploaded here becomes the item's
    newest version (documents); the older versions stay."""

    new_file = forms.FileField(
        required=False,
        label=_("File"),
        help_text=_("Uploading a file adds a new version; reps always get the newest."),
    )

    def clean_new_file(self) -> Any:
        upload = self.cleaned_data.get("new_file")
        if upload:
            services.file_check(filename=upload.name, size=upload.size)
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        locale = self.instance.locale if self.instance.locale_id else None
        if (
            self.instance.pk is None
            and locale is not None
            and locale.language_code != source_language()
        ):
            # Reps find source items; a translation is made from one (Translate).
            raise forms.ValidationError(
                _(
                    "Library items are written in %(language)s and translated "
                    "from there: add it in %(language)s, then translate it."
                )
                % {"language": locale_name(source_language())}
            )
        kind = cleaned.get("kind")
        if kind == LibraryItem.Kind.LINK and not cleaned.get("url"):
            self.add_error("url", _("A link needs its address."))
        if kind == LibraryItem.Kind.VIDEO and not cleaned.get("video"):
            self.add_error("video", _("Choose the video."))
        if kind == LibraryItem.Kind.CARD and not cleaned.get("card_kind"):
            self.add_error("card_kind", _("Say what sort of card this is."))
        if kind != LibraryItem.Kind.CARD:
            cleaned["card_kind"] = ""
        if (
            kind == LibraryItem.Kind.DOCUMENT
            and not cleaned.get("new_file")
            and (self.instance.pk is None or not self.instance.files.exists())
        ):
            self.add_error("new_file", _("A document needs its file."))
        if not cleaned.get("audience_everyone") and not cleaned.get("audience_teams"):
            self.add_error(
                "audience_teams", _("Choose the teams, or let everyone see it.")
            )
        return cleaned

    def save(self, commit: bool = True) -> LibraryItem:
        self.instance.updated_at = clock.now()
        item: LibraryItem = super().save(commit=commit)
        upload = self.cleaned_data.get("new_file")
        if commit and upload:
            services.item_file_add(
                item=item, file=upload, filename=upload.name, by=self.for_user
            )
        if commit:
            services.item_translations_sync(item=item)
        return item


class FlagForm(forms.Form):
    """A rep says why an item is outdated."""

    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("Choose a reason")), *ItemFlag.Reason.choices],
        error_messages={"required": _("Say why the item is outdated.")},
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        label=_("Note"),
        help_text=_("What is wrong, and what it should say if you know."),
    )


class ResolveForm(forms.Form):
    """The owner or an admin closes a flag."""

    resolution = forms.ChoiceField(
        label=_("Outcome"),
        choices=ItemFlag.Resolution.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        label=_("Note"),
        help_text=_("Sent to the person who flagged it."),
    )


class ShareForm(forms.Form):
    """Who the rep shares an item with."""

    prospect_name = forms.CharField(label=_("Prospect's name"), max_length=150)
    prospect_email = forms.EmailField(label=_("Prospect's e-mail"))
    prospect_company = forms.CharField(label=_("Company"), max_length=150)
    crm_opportunity_id = forms.CharField(
        label=_("CRM opportunity id"), max_length=64, required=False
    )
    days = forms.IntegerField(
        label=_("Link lasts (days)"), min_value=1, max_value=365, initial=30
    )
