"""The e-mails the library sends: a flag reaches the item's owner, its outcome
reaches the person who flagged it. Each is sent once per person and flag
(lms.notifications), so a job may run again or retry."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import get_connection
from django.db.models import Q
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext, ngettext

from library.models import ItemFlag, LibraryItem, ShareLink
from lms.accounts.models import User
from lms.lib import clock
from lms.lib.urls import absolute_url, site_url
from lms.notifications.services import notify_once

FLAG_RAISED_NOTICE = "library_flag_raised"
FLAG_RESOLVED_NOTICE = "library_flag_resolved"


def flag_raised_notify(*, flag_id: int) -> bool:
    """Tell the item's owner that a rep flagged it as outdated."""
    flag = ItemFlag.objects.select_related("item__owner", "flagged_by").get(pk=flag_id)
    owner = flag.item.owner
    with translation.override(owner.preferred_language):
        subject = gettext("“%(title)s” was flagged as outdated") % {
            "title": _one_line(flag.item.title)
        }
    return notify_once(
        user=owner,
        kind=FLAG_RAISED_NOTICE,
        key=f"flag:{flag.pk}",
        subject=subject,
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
    with translation.override(flag.flagged_by.preferred_language):
        subject = gettext("Your flag on “%(title)s”: %(outcome)s") % {
            "title": _one_line(flag.item.title),
            "outcome": flag.get_resolution_display().lower(),
        }
    return notify_once(
        user=flag.flagged_by,
        kind=FLAG_RESOLVED_NOTICE,
        key=f"flag:{flag.pk}",
        subject=subject,
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


REVIEW_SOON_NOTICE = "library_review_soon"
REVIEW_DUE_NOTICE = "library_review_due"
OWNER_DIGEST_NOTICE = "library_owner_digest"
REVIEW_SOON = dt.timedelta(days=14)
DIGEST_FROM = dt.time(7, 0)


def review_notices_send(*, now: dt.datetime | None = None) -> dict[str, int]:
    """E-mail owners about their items' review dates: once when 14 days or fewer
    are left, once on the day (or on the first run after it, while the item is in
    its grace period). Keyed by item and review date, so a new review date gets
    its own notices and repeated runs send nothing twice. Run hourly by beat, so
    "the day" starts at each owner's midnight."""
    now = now or clock.now()
    site_today = timezone.localdate(now)
    grace = dt.timedelta(days=settings.LIBRARY_REVIEW_GRACE_DAYS)
    candidates = (
        LibraryItem.objects.live()
        .filter(
            review_by__lte=site_today + REVIEW_SOON + dt.timedelta(days=1),
            review_by__gte=site_today - grace - dt.timedelta(days=1),
            owner__is_active=True,
        )
        .select_related("owner")
        .order_by("pk")
    )
    counts = {"soon": 0, "due": 0}
    with get_connection() as connection:
        for item in candidates:
            assert item.review_by is not None
            owner = item.owner
            today = timezone.localdate(now, clock.zone(owner.time_zone))
            left = item.review_by - today
            if left > REVIEW_SOON or today > item.review_by + grace:
                continue
            due = left <= dt.timedelta(0)
            kind = REVIEW_DUE_NOTICE if due else REVIEW_SOON_NOTICE
            title = _one_line(item.title)
            with translation.override(owner.preferred_language):
                subject = (
                    gettext("Review “%(title)s” today") % {"title": title}
                    if due
                    else gettext("“%(title)s” is due for review on %(day)s")
                    % {"title": title, "day": dateformat.format(item.review_by, "j F")}
                )
            sent = notify_once(
                user=owner,
                kind=kind,
                key=f"item:{item.pk}:{item.review_by.isoformat()}",
                subject=subject,
                template="library/email/review",
                context={
                    "item": item,
                    "due": due,
                    "first_name": owner.get_short_name(),
                    "edit_url": site_url(
                        reverse(
                            "wagtailsnippets_library_libraryitem:edit", args=[item.pk]
                        )
                    ),
                    "item_url": absolute_url("library_item", item.pk),
                },
                connection=connection,
            )
            counts["due" if due else "soon"] += int(sent)
    return counts


def owner_digest_due(owner: User, now: dt.datetime) -> str | None:
    """This ISO week's key once the owner's Monday 07:00 has passed, else None."""
    local = timezone.localtime(now, clock.zone(owner.time_zone))
    monday = local.date() - dt.timedelta(days=local.weekday())
    if local < dt.datetime.combine(monday, DIGEST_FROM, tzinfo=local.tzinfo):
        return None
    year, week, _ = local.date().isocalendar()
    return f"library-owner-digest:{year}-W{week:02d}"


def owner_digests_send(*, now: dt.datetime | None = None) -> int:
    """The weekly owner digest: open flags on their items and reviews due within
    14 days or past due. Sent once per ISO week from the owner's Monday morning,
    only to owners with something to do. Run hourly by beat; returns how many
    were sent."""
    now = now or clock.now()
    site_today = timezone.localdate(now)
    horizon = site_today + REVIEW_SOON
    owners = User.objects.filter(
        is_active=True,
        pk__in=LibraryItem.objects.live()
        .filter(
            Q(review_by__lte=horizon)
            | Q(flags__resolved_at__isnull=True, flags__isnull=False)
        )
        .values("owner_id"),
    ).order_by("pk")
    sent = 0
    with get_connection() as connection:
        for owner in owners:
            key = owner_digest_due(owner, now)
            if key is None:
                continue
            mine = LibraryItem.objects.live().filter(owner=owner)
            flags = list(
                ItemFlag.objects.filter(item__in=mine, resolved_at__isnull=True)
                .select_related("item", "flagged_by")
                .order_by("flagged_at")
            )
            reviews = list(mine.filter(review_by__lte=horizon).order_by("review_by"))
            if not flags and not reviews:
                continue
            with translation.override(owner.preferred_language):
                subject = gettext(
                    "Your library items this week: %(flags)s, %(reviews)s"
                ) % {
                    "flags": ngettext("%(count)d flag", "%(count)d flags", len(flags))
                    % {"count": len(flags)},
                    "reviews": ngettext(
                        "%(count)d review due", "%(count)d reviews due", len(reviews)
                    )
                    % {"count": len(reviews)},
                }
            sent += notify_once(
                user=owner,
                kind=OWNER_DIGEST_NOTICE,
                key=key,
                subject=subject,
                template="library/email/owner_digest",
                context={
                    "flags": flags,
                    "reviews": [(item, item.freshness(site_today)) for item in reviews],
                    "first_name": owner.get_short_name(),
                    "queue_url": absolute_url("library_flags"),
                },
                connection=connection,
            )
    return sent


SHARE_OPENED_NOTICE = "library_share_opened"


def share_opened_notify(*, link_id: int) -> bool:
    """Tell the rep their prospect opened the content they shared (first open)."""
    link = ShareLink.objects.select_related("item", "rep").get(pk=link_id)
    with translation.override(link.rep.preferred_language):
        subject = gettext("%(name)s (%(company)s) opened “%(title)s”") % {
            "name": _one_line(link.prospect_name),
            "company": _one_line(link.prospect_company),
            "title": _one_line(link.item.title),
        }
    return notify_once(
        user=link.rep,
        kind=SHARE_OPENED_NOTICE,
        key=f"share:{link.pk}",
        subject=subject,
        template="library/email/share_opened",
        context={
            "link": link,
            "first_name": link.rep.get_short_name(),
            "shared_url": absolute_url("library_shared"),
        },
    )
