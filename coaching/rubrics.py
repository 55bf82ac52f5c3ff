"""Rubric rules: the weights of a rubric's criteria add up to exactly 100, every
level of the 1–5 scale is described, and the pass threshold lies within 1–5.

Enablement admins write rubrics in the Wagtail admin (`RubricForm` checks the whole
rubric, criteria included, before anything is saved); services refuse to score
against a rubric that breaks the rules (one edited outside the admin).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext, ngettext
from wagtail.admin.forms import WagtailAdminModelForm

from coaching.models import SCALE, CriterionScore, Rubric

TOTAL_WEIGHT = 100
LOWEST, HIGHEST = Decimal(SCALE[0]), Decimal(SCALE[-1])


def criteria_problems(
    criteria: Iterable[tuple[str, int | None, list[str]]],
) -> list[str]:
    """What is wrong with a list of criteria, each given as (name, weight, the five
    level descriptions); empty when they make a valid rubric."""
    criteria = list(criteria)
    if not criteria:
        return [gettext("A rubric needs at least one criterion.")]
    problems = []
    for name, weight, levels in criteria:
        if weight is None or not 1 <= weight <= TOTAL_WEIGHT:
            problems.append(
                gettext("“%(name)s” needs a weight from 1 to %(total)s.")
                % {"name": name, "total": TOTAL_WEIGHT}
                if name
                else gettext("A criterion needs a weight from 1 to %(total)s.")
                % {"total": TOTAL_WEIGHT}
            )
        missing = [str(n) for n, text in zip(SCALE, levels, strict=False) if not text]
        if len(levels) != len(SCALE) or missing:
            if not missing:
                problem = gettext("describe every level of the 1–5 scale.")
            else:
                problem = gettext("describe level %(levels)s of the 1–5 scale.") % {
                    "levels": ", ".join(missing)
                }
            problems.append(
                gettext("“%(name)s”: %(problem)s") % {"name": name, "problem": problem}
                if name
                else gettext("A criterion: %(problem)s") % {"problem": problem}
            )
    total = sum(weight or 0 for _, weight, _ in criteria)
    if total != TOTAL_WEIGHT:
        problems.append(
            gettext(
                "The weights add up to %(total)s%%; they must add up to exactly "
                "%(wanted)s%%."
            )
            % {"total": total, "wanted": TOTAL_WEIGHT}
        )
    return problems


def threshold_problems(threshold: Decimal | None) -> list[str]:
    if threshold is None or not LOWEST <= threshold <= HIGHEST:
        return [
            gettext("The pass threshold must lie between %(lowest)s and %(highest)s.")
            % {"lowest": LOWEST, "highest": HIGHEST}
        ]
    return []


def rubric_problems(rubric: Rubric) -> list[str]:
    """What is wrong with a saved rubric (empty when it may be scored against)."""
    criteria = [
        (criterion.name, criterion.weight, [text for _, text in criterion.levels])
        for criterion in rubric.criteria.all()
    ]
    return threshold_problems(rubric.pass_threshold) + criteria_problems(criteria)


class RubricForm(WagtailAdminModelForm):
    """The Wagtail form for a rubric: checks the criteria together (weights adding
    up to 100, every level described) and refuses to remove a criterion that
    reviews have already scored."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        formset = self.formsets.get("criteria")
        if formset is None or any(form.errors for form in formset.forms):
            return cleaned
        kept, removed = [], []
        for form in formset.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            if formset.can_delete and formset._should_delete_form(form):
                if form.instance.pk is not None:
                    removed.append(form.instance)
                continue
            data = form.cleaned_data
            levels = [data.get(f"level_{level}", "").strip() for level in SCALE]
            kept.append((data.get("name", ""), data.get("weight"), levels))
        problems = threshold_problems(cleaned.get("pass_threshold"))
        problems += criteria_problems(kept)
        for criterion in removed:
            used = CriterionScore.objects.filter(criterion=criterion).count()
            if used:
                problems.append(
                    ngettext(
                        "“%(name)s” is scored in %(count)s review; it cannot be "
                        "removed. Write a new rubric instead.",
                        "“%(name)s” is scored in %(count)s reviews; it cannot be "
                        "removed. Write a new rubric instead.",
                        used,
                    )
                    % {"name": criterion.name, "count": used}
                )
        if problems:
            raise forms.ValidationError(problems)
        return cleaned
