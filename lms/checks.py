from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error


def celery_visibility_timeout(**kwargs: Any) -> list[CheckMessage]:
    """A Redis visibility timeout shorter than a task's hard time limit would let
    Redis hand a still-running task to a second worker."""
    from lms.celery import app

    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        return []
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
