"""{{ key|translated }}: a name kept in English as a key (an onboarding cohort, a
talk-ratio band), marked with gettext_noop where it is defined, in the reader's
language.

`{% translate variable %}` would do the same but doubles every "%" of the name
before looking it up ("Under 30%" is looked up as "Under 30%%"), so names with a
per cent sign in them stayed English."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def translated(key: str) -> str:
    return gettext(str(key))
