"""Forms of the quiz admin: the Wagtail question form, which checks the answers of
each kind before a question is saved, and the question file upload form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from courses.quizzes.formats import (
    MAX_FILE_BYTES,
    ParsedOption,
    number_text,
    option_problems,
    parse_number,
)


class QuestionForm(WagtailAdminModelForm):
    """Wagtail's question form (base_form_class of Question): the answers must make
    sense for the kind, with the same checks the importers apply. Numeric answers
    are stored as plain numbers ("3,5" becomes "3.5")."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        formset = self.formsets.get("options")
        kind = cleaned.get("kind")
        if formset is None or not kind or not formset.is_valid():
            return cleaned
        kept = [
            form
            for form in formset.forms
            if form.cleaned_data and not formset._should_delete_form(form)
        ]
        options = [
            ParsedOption(
                text=form.cleaned_data.get("text") or "",
                match_text=form.cleaned_data.get("match_text") or "",
                fraction=form.cleaned_data.get("fraction") or Decimal(0),
                tolerance=form.cleaned_data.get("tolerance") or Decimal(0),
                feedback=form.cleaned_data.get("feedback") or "",
            )
            for form in kept
        ]
        for problem in option_problems(kind, options):
            self.add_error(None, problem)
        if kind == "numeric":
            for form in kept:
                number = parse_number(form.cleaned_data.get("text") or "")
                if number is not None:
                    form.cleaned_data["text"] = form.instance.text = number_text(number)
        return cleaned


class QuestionImportForm(forms.Form):
    """Upload a GIFT or Moodle XML file into an existing bank or a new one."""

    file = forms.FileField(
        label=_("File"),
        help_text=_("A GIFT (.txt, .gift) or Moodle XML (.xml) file, up to 10 MB."),
    )
    format = forms.ChoiceField(
        choices=[("gift", "GIFT"), ("moodlexml", "Moodle XML")],
        label=_("Format"),
        help_text=_(
            "GIFT cannot hold ordering questions; Moodle XML holds every kind."
        ),
    )
    bank: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label=_("— a new bank —"),
        label=_("Into the bank"),
    )
    new_bank_name = forms.CharField(
        max_length=200,
        required=False,
        label=_("Or a new bank named"),
        help_text=_("Created if no bank has this name yet."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from courses.quizzes.models import QuestionBank

        super().__init__(*args, **kwargs)
        self.fields["bank"].queryset = QuestionBank.objects.order_by("name")  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        bank, name = cleaned.get("bank"), (cleaned.get("new_bank_name") or "").strip()
        if bank is not None and name:
            raise forms.ValidationError(_("Choose a bank or name a new one, not both."))
        if bank is None and not name:
            raise forms.ValidationError(_("Choose a bank, or name a new one."))
        cleaned["bank_name"] = bank.name if bank is not None else name
        return cleaned
