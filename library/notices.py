"""The e-mails the library sends: a flag reaches the item's owner, its outcome
reaches the person who flagged it. Each is sent once per person and flag
(lms.notifications), so a job may run again or retry."""

from __future__ import annotations

from library.models import ItemFlag
from lms.lib.urls import absolute_url
from lms.notifications.services import notify_once

FLAG_RAISED_NOTICE = "library_flag_raised"
FLAG_RESOLVED_NOTICE = "library_flag_resolved"


def flag_raised_notify(*, flag_id: int) -> bool:
    """Tell the item's owner that a rep flagged it as outdated."""
    flag = ItemFlag.objects.select_related("item__owner", "flagged_by").get(pk=flag_id)
    owner = flag.item.owner
    return notify_once(
        user=owner,
        kind=FLAG_RAISED_NOTICE,
        key=f"flag:{flag.pk}",
        subject=f"“{_one_line(flag.item.title)}” was flagged as outdated",
        template="library/email/flag_raised",
        context={
            "flag": flag,
            "item": flag.item,
            "first_name": owner.get_short_name(),
            "queue_url": absolute_url("library_flags"),
        },
    )


def flag_resolved_notify(*, flag_id: int) -> bool:
    """Tell the person who flagged an item what its owner did about it."""
    flag = ItemFlag.objects.select_related("item", "flagged_by", "resolved_by").get(
        pk=flag_id
    )
    if flag.resolved_at is None:
        return False
    return notify_once(
        user=flag.flagged_by,
        kind=FLAG_RESOLVED_NOTICE,
        key=f"flag:{flag.pk}",
        subject=f"Your flag on “{_one_line(flag.item.title)}”: "
        f"{flag.get_resolution_display().lower()}",
        template="library/email/flag_resolved",
        context={
            "flag": flag,
            "item": flag.item,
            "first_name": flag.flagged_by.get_short_name(),
            "item_url": absolute_url("library_item", flag.item.pk),
        },
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())
