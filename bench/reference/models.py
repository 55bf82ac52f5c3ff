"""A bare Wagtail page for the load test to compare with: no sign-in, no per-person
parts, the same base template and a lesson's rich text. Benchmark databases only
(the app has no migrations: `bench/load.py` creates its table with
`migrate --run-syncdb`)."""

from __future__ import annotations

from wagtail.fields import RichTextField
from wagtail.models import Page


class ReferencePage(Page):
    body = RichTextField(blank=True)
