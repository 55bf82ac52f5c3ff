from __future__ import annotations

from celery import shared_task

from lms.lib.mail import MAIL_RETRY


@shared_task(**MAIL_RETRY, time_limit=1800, soft_time_limit=1700)
def review_notices_send_task() -> dict[str, int]:
    """Periodic (beat, hourly): e-mail owners 14 days before an item's review
    date and on the day, each once."""
    from library.notices import review_notices_send

    return review_notices_send()


@shared_task(**MAIL_RETRY, time_limit=1800, soft_time_limit=1700)
def owner_digests_send_task() -> int:
    """Periodic (beat, hourly): each owner's weekly digest, once, on their Monday
    morning."""
    from library.notices import owner_digests_send

    return owner_digests_send()


@shared_task(**MAIL_RETRY, time_limit=120, soft_time_limit=100)
def share_first_open_notify_task(link_id: int) -> bool:
    """Tell the rep that the prospect opened their share link (once per link)."""
    from library.notices import share_opened_notify

    return share_opened_notify(link_id=link_id)


@shared_task(
    acks_late=True,
    time_limit=180,
    soft_time_limit=150,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def item_preview_task(item_id: int, file_id: int) -> str:
    """Make the preview and search text of a newly uploaded file (idempotent: it
    redoes the same work, and skips versions already replaced)."""
    from library.services import item_preview_make

    return item_preview_make(item_id=item_id, file_id=file_id)


@shared_task(time_limit=300, soft_time_limit=240)
def item_previews_requeue_stuck_task() -> int:
    """Periodic (beat, every 10 minutes): ask again for previews stuck
    "processing"."""
    from library.services import item_previews_requeue_stuck

    return item_previews_requeue_stuck()
