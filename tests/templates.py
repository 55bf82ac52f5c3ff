"""Templates written in a test, beside the project's own."""

from __future__ import annotations

from typing import Any


def with_templates(settings: Any, templates: dict[str, str]) -> None:
    """Make `templates` (name -> source) loadable, before the apps' templates, for
    the rest of the test (pytest-django's `settings` restores the engine)."""
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {
            **engine,
            "APP_DIRS": False,
            "OPTIONS": {
                **engine["OPTIONS"],
                "loaders": [
                    ("django.template.loaders.locmem.Loader", templates),
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]
