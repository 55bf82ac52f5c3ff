from __future__ import annotations

from celery import shared_task


@shared_task
def attempts_close_expired_task() -> int:
    """Periodic (beat, every minute; idempotent): grade attempts whose time limit
    and grace have passed, and abandon open attempts of withdrawn quizzes."""
    from courses.quizzes.services import attempts_close_expired

    return attempts_close_expired()
