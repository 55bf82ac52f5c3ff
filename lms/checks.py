from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning
from django.utils.module_loading import autodiscover_modules


def celery_visibility_timeout(**kwargs: Any) -> list[CheckMessage]:
    """A Redis visibility timeout shorter than a task's hard time limit would let
    Redis hand a still-running task to a second worker."""
    from lms.celery import app

    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        return []
    autodiscover_modules("tasks")  # every app's tasks, as a worker loads them
    longest = max(
        [settings.CELERY_TASK_TIME_LIMIT]
        + [task.time_limit for task in app.tasks.values() if task.time_limit]
    )
    if settings.CELERY_VISIBILITY_TIMEOUT <= longest:
        return [
            Error(
                f"CELERY_VISIBILITY_TIMEOUT ({settings.CELERY_VISIBILITY_TIMEOUT}s) "
                f"must exceed the longest task time limit ({longest}s).",
                id="lms.E001",
            )
        ]
    return []


def production_services(**kwargs: Any) -> list[CheckMessage]:
    """The embedded defaults are for one machine in development: in production they
    lose rate limits between processes and e-mails between machines."""
    if settings.DEBUG:
        return []
    warnings: list[CheckMessage] = []
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        warnings.append(
            Warning(
                "DATABASE_URL is not set: production runs on SQLite.", id="lms.W001"
            )
        )
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        warnings.append(
            Warning(
                "CELERY_BROKER_URL is not set: workers on other machines will not see "
                "the jobs.",
                id="lms.W002",
            )
        )
    if not settings.REDIS_URL:
        warnings.append(
            Warning(
                "REDIS_URL is not set: each process keeps its own cache, so sign-in "
                "rate limits are per process.",
                id="lms.W003",
            )
        )
    return warnings
